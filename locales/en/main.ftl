# Portcullis — English. The reference catalog: every other one has exactly these keys, with the
# same variables. Text only, no markup: the templates add it (a variable may carry some).
# Typographic quotes (“ ”), never the characters < > & or a straight double quote.

## Shared by several pages

login-title = Sign in
common-password = Password
common-your-account = Your account
common-sign-out = Sign out
common-signed-in-as = Signed in as { $user }.
common-code-from-app = Code from your authenticator app
common-backup-code = Backup code
common-backup-code-instead = Use a backup code instead
common-email-me-code = Email me a code
common-text-me-code = Text me a code
common-trusted-devices = Trusted devices
common-no-trusted-devices = No trusted devices.
common-forget-device = Forget this device

duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
duration-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
duration-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}

# How an e-mail or a device list names a browser, from known names only ("Firefox on Linux").
browser-on = { $browser } on { $system }
browser-any-on = a browser on { $system }
browser-unknown = an unknown browser

## Sign-in page

login-username = User name
login-submit = Sign in

## Refusals and errors

invalid-credentials = Wrong user name or password.
invalid-enrol-code = That code is not valid. Check the time on your device and type the code the app shows now.
invalid-code = That code is not valid. A code works once: wait for the next one, check the time on your device, or use a backup code.
invalid-backup-code = That backup code is not valid, or it was already used. Each backup code works once.
error-locked = Too many failed attempts. Try again in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
error-request-refused = Request refused
error-form-expired = This form has expired. Go back, reload the page and try again.
error-bad-request = Bad request
error-form-unreadable = The form could not be read.
error-busy = Busy
error-busy-text = Too many sign-ins at once. Try again in a moment.
error-not-found = Not found
error-not-found-text = There is no page at this address.
error-try-again = Try again
error-unavailable = Something went wrong on our side. Try again in a moment.
error-stale = Try again in a moment
error-stale-text = The sign-in service cannot confirm your session right now. Nothing is lost: reload this page in a few seconds.
error-access-denied = Access denied
error-no-access = You do not have access to this page.
error-too-many-requests = Too many requests
error-too-many-from-network = Too many attempts from your network. Try again in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
}.
error-bad-gateway = Bad Gateway
error-gateway-timeout = Gateway Timeout
error-app-unreachable = The application is not reachable right now. Please try again shortly.
error-app-timeout = The application took too long to answer. Please try again shortly.
error-page-failed = Something went wrong.

## Second-factor page

mfa-title = Two-step verification
mfa-remember = Remember this device for { $duration }
mfa-verify = Verify
mfa-use-app = Use your authenticator app
mfa-use-backup-code = Use a backup code
mfa-verify-backup-code = Verify backup code
mfa-code-from-email = Code from the e-mail
mfa-code-from-sms = Code from the text message
mfa-send-new-code = Send a new code
mfa-code-sent = We sent a code to { $to }. It works once, for { $duration }.
mfa-too-many-codes = Too many codes were sent. Try again in { $wait }, or use another way.
mfa-could-not-send = We could not send the code just now. Try again in a moment, or use another way.

## Enrolment page

enroll-title = Set up two-step verification
enroll-replacing = Set up your new authenticator app. Once it is active, the old app's codes and your old backup codes stop working.
enroll-needs-factor = This account needs a second factor.
enroll-step-scan = Scan this QR code with an authenticator app, or enter the key below by hand.
enroll-step-type = Type the { $digits }-digit code the app shows.
enroll-qr-label = QR code for your authenticator app
enroll-key = Key
enroll-setup-link = On this device? Use the setup link
enroll-open-app = Open in authenticator app
enroll-code = Code from the app
enroll-activate = Activate
enroll-or-sent = Or get codes sent to you
enroll-no-app = No app? Each time you sign in, a code is sent to you instead.
enroll-cancel = Cancel: keep the current app

## Backup codes, shown once

codes-title = Your backup codes
codes-heading = Save your backup codes
codes-intro = Each code signs you in once if you lose your authenticator. Keep them somewhere safe, such as a password manager or a printout:
codes-shown-once = this is the only time they are shown.
codes-replaced = Your previous backup codes no longer work.
codes-continue = I saved them — continue

## Account page

account-back-to-app = Back to the application
account-admin-link = Admin: users and security
account-app-active = Authenticator app: active
account-app-active-since = Authenticator app: active since { $since }
account-app-not-set-up = Authenticator app: not set up
account-codes-by-email = Codes by e-mail to { $to }
account-codes-by-sms = Codes by text message to { $to }
account-backup-left = Backup codes left: { $count }
account-required = Your organisation requires two-step verification for your account.
account-device-last-used = last used { $when } from { $ip }
account-this-device = this device
account-change-factor = Change your second factor
account-what-to-do = What to do
account-new-backup-codes = Get new backup codes
account-new-app = Set up a new authenticator app
account-fresh-code = Each change needs a fresh code.
account-continue = Continue
account-turn-off = Turn off two-step verification
account-turn-off-explained = Afterwards your password alone signs you in. Every other session and trusted device ends.
account-prove-with = Prove it with
account-code = Code
account-proof-email = Code sent by e-mail
account-proof-sms = Code sent by text message
account-proof-backup = A backup code
account-sign-out-everywhere = Sign out everywhere
account-sign-out-everywhere-explained = Ends every session of yours, on every device, and forgets your trusted devices.
account-no-code = Type the code from your authenticator app, or a backup code.
account-wrong-password-or-code = Wrong password or code.
account-code-sent = We sent a code to { $to }.
account-too-many-codes = Too many codes were sent. Try again later, or use another way.
account-could-not-send = We could not send the code just now. Try again in a moment.

## Admin pages

admin-nav = Admin
admin-nav-overview = Overview and users
admin-events = Security events
admin-fresh-until = Actions need no new code until { $until }.
admin-each-action-code = Each action asks for a code from your authenticator app.
admin-overview-title = Admin: overview and users
admin-overview-heading = Security overview
admin-last-day = Last 24 hours
admin-last-week = Last 7 days
admin-sign-ins-by-factor = Sign-ins by factor
admin-sign-ins-day = Sign-ins by factor, last 24 hours
admin-sign-ins-week = Sign-ins by factor, last 7 days
admin-step = Step
admin-succeeded = Succeeded
admin-failed = Failed
admin-locked = Locked
admin-no-sign-ins = No sign-ins in this period.
admin-step-password = Password
admin-step-trusted-device = Trusted device
admin-step-totp = Authenticator app
admin-step-backup-code = Backup code
admin-step-email = E-mail code
admin-step-sms = SMS code
admin-lockouts = Lockouts
admin-codes-sent-email = Codes sent by e-mail
admin-codes-sent-sms = Codes sent by SMS
admin-codes-failed = ({ $count } failed)
admin-adoption = Two-step verification in use
admin-enrolled-of = { $enrolled } of { $count ->
    [one] { $count } active user
   *[other] { $count } active users
}
admin-users-disabled = { $count } disabled
admin-truncated = The audit trail held more events than were read: these counts are a floor.
admin-grace = Grace period
admin-grace-counts = { $inside } still inside it, { $not_started } not signed in yet, { $ended } past it.
admin-grace-until = { $user } until { $until }
admin-users = Users
admin-search-users = Search users
admin-search = Search
admin-users-count = { $count ->
    [one] { $count } user
   *[other] { $count } users
}
admin-users-matching = { $count ->
    [one] { $count } user
   *[other] { $count } users
} matching “{ $query }”
admin-page-of = page { $page } of { $pages }
admin-you = you
admin-disabled = disabled
admin-active = active
admin-locked-until = locked until { $until }
admin-no-second-factor = no second factor
admin-backup-codes = { $count ->
    [one] { $count } backup code
   *[other] { $count } backup codes
}
admin-trusted-devices = { $count ->
    [one] { $count } trusted device
   *[other] { $count } trusted devices
}
admin-last-sign-in = last sign-in { $when }
admin-never-signed-in = last sign-in never
admin-groups-list = groups: { $groups }
admin-pages-of-users = Pages of users
admin-previous-page = Previous page
admin-next-page = Next page
admin-method-totp = authenticator app
admin-method-email = e-mail codes
admin-method-sms = SMS codes
admin-method-since = { $method } since { $since }
admin-user-title = Admin: { $user }
admin-status = Status
admin-your-account = (your account)
admin-groups = Groups
admin-none = none
admin-second-factors = Second factors
admin-backup-codes-left = Backup codes left
admin-locked-out = Locked out
admin-until = until { $until }
admin-no = no
admin-last-sign-in-label = Last sign-in
admin-never = never
admin-device-used = trusted { $created }, last used { $when } from { $ip }
admin-actions = Actions
admin-actions-confirm = Each action asks you to confirm, naming the user, first.
admin-action-lockout-clear = Clear the lockout
admin-action-revoke-sessions = End all sessions
admin-action-mfa-reset = Reset two-step verification
admin-action-disable = Disable the account
admin-enable-again = To enable the account again: { $command }, or remove { $setting } from the users file.
admin-confirm-title = Confirm: { $question }
admin-own-account = This is your own account.
admin-code-help = Admin actions need a code from the last { $fresh_for }. A wrong code counts as a failed sign-in of yours: after { $count } in a row your account is locked for a while.
admin-confirm-for = Confirm for { $user }
admin-cancel = Cancel
admin-question-mfa-reset = Reset two-step verification of { $user }?
admin-question-lockout-clear = Let { $user } sign in again now?
admin-question-revoke-sessions = End every session of { $user }?
admin-question-disable = Disable the account of { $user }?
admin-question-device-revoke = Forget this trusted device of { $user }?
admin-consequence-mfa-reset = Their authenticator app, backup codes, e-mail and SMS codes and trusted devices are forgotten, and every session of theirs ends. They set up two-step verification again at their next sign-in.
admin-consequence-lockout-clear = Failed attempts are forgotten and the lockout ends.
admin-consequence-revoke-sessions = They are signed out everywhere, and their trusted devices ask for a second factor again.
admin-consequence-disable = Nobody can sign in as them until the users file says otherwise, and every session of theirs ends.
admin-consequence-device-revoke = That browser asks for a second factor at its next sign-in.
admin-done-mfa-reset = Two-step verification of { $user } was reset.
admin-done-lockout-clear = { $user } may sign in again.
admin-done-revoke-sessions = Every session of { $user } has ended.
admin-done-disable = { $user } is disabled.
admin-done-device-revoke = The device of { $user } was forgotten.
admin-not-allowed = Not allowed
admin-navigation-required = This page opens only in a browser tab of its own.
admin-needs-mfa = The admin page needs two-step verification. Set it up from your account page, then sign in again.
admin-no-such-user = No such user
admin-no-such-user-text = There is no user of that name in the users file.
admin-not-understood = Not understood
admin-unknown-action = That action is not known.
admin-code-first = Type a code from your authenticator app first.
admin-device-gone = That device was already forgotten.
admin-events-title = Admin: security events
admin-filter-user = User
admin-filter-admin = By admin
admin-filter-kind = Kind
admin-filter-outcome = Outcome
admin-filter-any = any
admin-filter-since = Since
admin-filter-since-help = 1h, 7d, or 2026-11-23T08:00:00Z
admin-filter-show = Show
admin-filter-not-applied = Filter not applied: { $why }.
admin-filter-not-understood = Filter not understood
admin-filter-bad-kind = unknown kind “{ $value }”
admin-filter-bad-outcome = unknown outcome “{ $value }”
admin-filter-bad-since = since “{ $value }”: expected a duration (1h, 7d) or a time (2026-11-23T08:00:00Z)
admin-export = Export these events:
admin-newest-first = Newest first
admin-event-from = from { $ip }
admin-events-shown = The 100 newest are shown; the export holds up to 10,000.
admin-no-events = No events match.

## E-mail and text message with a code

mail-code-subject = { $service } sign-in code
mail-code-is = Your { $service } sign-in code is { $code }.
mail-code-your-code = Your sign-in code is
mail-code-asked = It was asked for to sign in as { $user }, on { $when } from { $ip } ({ $browser }).
mail-code-valid = It works once, for { $valid_for }.
mail-code-never-ask = Nobody from { $service } will ever ask you for this code.
mail-code-not-you = If you did not try to sign in, do not give it to anyone, and change your password.
sms-code = { $code } is your { $service } sign-in code for { $user }. It works once, for { $valid_for }. Nobody from { $service } will ask you for it.

## E-mail notices of changes to an account

notice-authenticator-enrolled = An authenticator app was set up for your account
notice-authenticator-replaced = Your authenticator app was replaced
notice-email-codes-enrolled = Codes by e-mail were set up as your second step
notice-sms-codes-enrolled = Codes by text message were set up as your second step
notice-mfa-turned-off = Two-step verification was turned off
notice-backup-codes-regenerated = New backup codes were made; the old ones no longer work
notice-device-trusted = A device was set to skip the second step
notice-mfa-reset = An administrator reset your two-step verification
notice-locked-out = Your account was locked after failed sign-ins
notice-advice-locked-out = If this was not you, someone may be trying to guess your password: change it, and tell your administrator.
notice-advice-mfa-reset = You will set up a second factor again at your next sign-in. If you did not ask for this, tell your administrator.
notice-advice = If this was you, there is nothing to do. If it was not, change your password at once and tell your administrator.
notice-happened = This happened to your { $service } account { $user } on { $when }.
notice-happened-from = This happened to your { $service } account { $user } on { $when }, from { $ip } ({ $browser }).
notice-never-code = This message never contains a code or a password, and nobody from { $service } will ever ask you for one.

## Passkeys and security keys

invalid-passkey = That passkey could not be verified. Try again, or use another way.
mfa-use-passkey = Use your passkey or security key
account-passkeys-count = Passkeys and security keys: { $count }
account-passkeys = Passkeys and security keys
account-passkey-blocked = blocked: possibly copied
account-passkey-added-at = added { $when }
account-passkey-used-at = last used { $when }
account-passkey-blocked-why = A blocked passkey signed with a counter lower than before, as a copy of it would. Remove it and add it again if it is yours.
account-add-passkey = Add a passkey or security key
account-remove-passkey = Remove the passkey “{ $name }”
account-new-passkey-name = Name of a new passkey
account-new-passkey-placeholder = e.g. Laptop, YubiKey
account-confirm-with-passkey = Confirm with a passkey instead
account-passkey-was-added = The passkey “{ $name }” was added.
account-passkey-was-removed = The passkey “{ $name }” was removed.
account-passkey-not-yours = That passkey is not one of yours, or it was removed already.
account-passkey-registered-already = That passkey is registered already.
account-passkey-not-added = The passkey could not be added: its answer did not verify, or the step took too long. Try again.
passkey-add-title = Add a passkey
passkey-add-intro = Your browser will ask you to create a passkey on this device, on your phone, or on a security key.
passkey-name = Name
passkey-create = Create the passkey
passkey-cancel = Cancel
passkey-cancelled = The passkey was not used: the request was cancelled or timed out. Try again.
passkey-registered = This passkey is registered already.
passkey-failed = The browser could not use a passkey. Try again, or use another way.
passkey-unsupported = This browser cannot use passkeys.
passkey-needs-script = Passkeys need JavaScript, which is off in this browser.
enroll-passkey-heading = Or use a passkey
enroll-passkey-intro = Your fingerprint, face or screen lock on this device or your phone, or a security key, instead of typing codes.
enroll-passkey-name = Name of the passkey
enroll-passkey-default-name = Passkey
enroll-passkey-button = Set up a passkey
enroll-passkey-failed = The passkey could not be set up: it did not verify, or the step took too long. Try again.
login-with-passkey = Sign in with a passkey
admin-method-webauthn = passkeys
admin-step-webauthn = Passkey
notice-passkey-added = A passkey or security key was added to your account
notice-passkey-removed = A passkey or security key was removed from your account
account-passkey-last = This passkey is your only second factor: set up another one first (an authenticator app or another passkey), or turn two-step verification off.

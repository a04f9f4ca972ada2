# Portcullis — Deutsch. Gleiche Schlüssel und Variablen wie locales/en/main.ftl; nur Text, kein Markup.

## Shared by several pages

login-title = Anmelden
common-password = Passwort
common-your-account = Ihr Konto
common-sign-out = Abmelden
common-signed-in-as = Angemeldet als { $user }.
common-code-from-app = Code aus Ihrer Authenticator-App
common-backup-code = Backup-Code
common-backup-code-instead = Stattdessen einen Backup-Code verwenden
common-email-me-code = Code per E-Mail senden
common-text-me-code = Code per SMS senden
common-trusted-devices = Vertrauenswürdige Geräte
common-no-trusted-devices = Keine vertrauenswürdigen Geräte.
common-forget-device = Dieses Gerät vergessen

duration-minutes = { $count ->
    [one] { $count } Minute
   *[other] { $count } Minuten
}
duration-hours = { $count ->
    [one] { $count } Stunde
   *[other] { $count } Stunden
}
duration-days = { $count ->
    [one] { $count } Tag
   *[other] { $count } Tage
}

browser-on = { $browser } unter { $system }
browser-any-on = ein Browser unter { $system }
browser-unknown = ein unbekannter Browser

## Sign-in page

login-username = Benutzername
login-submit = Anmelden

## Refusals and errors

invalid-credentials = Benutzername oder Passwort ist falsch.
invalid-enrol-code = Dieser Code ist ungültig. Prüfen Sie die Uhrzeit Ihres Geräts und geben Sie den Code ein, den die App jetzt anzeigt.
invalid-code = Dieser Code ist ungültig. Jeder Code gilt nur einmal: Warten Sie auf den nächsten, prüfen Sie die Uhrzeit Ihres Geräts oder verwenden Sie einen Backup-Code.
invalid-backup-code = Dieser Backup-Code ist ungültig oder wurde bereits verwendet. Jeder Backup-Code gilt nur einmal.
error-locked = Zu viele fehlgeschlagene Versuche. Versuchen Sie es in { $minutes ->
    [one] { $minutes } Minute
   *[other] { $minutes } Minuten
} erneut.
error-request-refused = Anfrage abgelehnt
error-form-expired = Dieses Formular ist abgelaufen. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.
error-bad-request = Ungültige Anfrage
error-form-unreadable = Das Formular konnte nicht gelesen werden.
error-busy = Ausgelastet
error-busy-text = Zu viele Anmeldungen gleichzeitig. Versuchen Sie es gleich noch einmal.
error-not-found = Nicht gefunden
error-not-found-text = Unter dieser Adresse gibt es keine Seite.
error-try-again = Bitte erneut versuchen
error-unavailable = Bei uns ist etwas schiefgegangen. Versuchen Sie es gleich noch einmal.
error-stale = Versuchen Sie es gleich noch einmal
error-stale-text = Der Anmeldedienst kann Ihre Sitzung gerade nicht bestätigen. Es geht nichts verloren: Laden Sie diese Seite in ein paar Sekunden neu.
error-access-denied = Zugriff verweigert
error-no-access = Sie haben keinen Zugriff auf diese Seite.
error-too-many-requests = Zu viele Anfragen
error-too-many-from-network = Zu viele Versuche aus Ihrem Netzwerk. Versuchen Sie es in { $seconds ->
    [one] { $seconds } Sekunde
   *[other] { $seconds } Sekunden
} erneut.
error-bad-gateway = Anwendung nicht erreichbar
error-gateway-timeout = Zeitüberschreitung
error-app-unreachable = Die Anwendung ist gerade nicht erreichbar. Bitte versuchen Sie es in Kürze erneut.
error-app-timeout = Die Anwendung hat zu lange für die Antwort gebraucht. Bitte versuchen Sie es in Kürze erneut.
error-page-failed = Etwas ist schiefgegangen.

## Second-factor page

mfa-title = Zwei-Faktor-Authentifizierung
mfa-remember = Dieses Gerät { $duration } lang merken
mfa-verify = Bestätigen
mfa-use-app = Authenticator-App verwenden
mfa-use-backup-code = Backup-Code verwenden
mfa-verify-backup-code = Backup-Code bestätigen
mfa-code-from-email = Code aus der E-Mail
mfa-code-from-sms = Code aus der SMS
mfa-send-new-code = Neuen Code senden
mfa-code-sent = Wir haben einen Code an { $to } gesendet. Er ist { $duration } gültig und nur einmal verwendbar.
mfa-too-many-codes = Es wurden zu viele Codes gesendet. Versuchen Sie es in { $wait } erneut oder wählen Sie einen anderen Weg.
mfa-could-not-send = Wir konnten den Code gerade nicht senden. Versuchen Sie es gleich noch einmal oder wählen Sie einen anderen Weg.

## Enrolment page

enroll-title = Zwei-Faktor-Authentifizierung einrichten
enroll-replacing = Richten Sie Ihre neue Authenticator-App ein. Sobald sie aktiv ist, gelten die Codes der alten App und Ihre alten Backup-Codes nicht mehr.
enroll-needs-factor = Für dieses Konto ist ein zweiter Faktor erforderlich.
enroll-step-scan = Scannen Sie diesen QR-Code mit einer Authenticator-App oder geben Sie den Schlüssel unten von Hand ein.
enroll-step-type = Geben Sie den { $digits }-stelligen Code ein, den die App anzeigt.
enroll-qr-label = QR-Code für Ihre Authenticator-App
enroll-key = Schlüssel
enroll-setup-link = Auf diesem Gerät? Einrichtungslink verwenden
enroll-open-app = In der Authenticator-App öffnen
enroll-code = Code aus der App
enroll-activate = Aktivieren
enroll-or-sent = Oder Codes zusenden lassen
enroll-no-app = Keine App? Dann erhalten Sie bei jeder Anmeldung stattdessen einen Code.
enroll-cancel = Abbrechen: aktuelle App behalten

## Backup codes, shown once

codes-title = Ihre Backup-Codes
codes-heading = Backup-Codes sichern
codes-intro = Mit jedem Code können Sie sich einmal anmelden, falls Sie Ihren Authenticator verlieren. Bewahren Sie die Codes sicher auf, etwa in einem Passwort-Manager oder ausgedruckt:
codes-shown-once = Sie werden nur dieses eine Mal angezeigt.
codes-replaced = Ihre bisherigen Backup-Codes gelten nicht mehr.
codes-continue = Gespeichert – weiter

## Account page

account-back-to-app = Zurück zur Anwendung
account-admin-link = Verwaltung: Benutzer und Sicherheit
account-app-active = Authenticator-App: aktiv
account-app-active-since = Authenticator-App: aktiv seit { $since }
account-app-not-set-up = Authenticator-App: nicht eingerichtet
account-codes-by-email = Codes per E-Mail an { $to }
account-codes-by-sms = Codes per SMS an { $to }
account-backup-left = Verbleibende Backup-Codes: { $count }
account-required = Ihre Organisation schreibt für Ihr Konto die Zwei-Faktor-Authentifizierung vor.
account-device-last-used = zuletzt verwendet am { $when } von { $ip }
account-this-device = dieses Gerät
account-change-factor = Zweiten Faktor ändern
account-what-to-do = Was möchten Sie tun?
account-new-backup-codes = Neue Backup-Codes erzeugen
account-new-app = Neue Authenticator-App einrichten
account-fresh-code = Jede Änderung erfordert einen neuen Code.
account-continue = Weiter
account-turn-off = Zwei-Faktor-Authentifizierung ausschalten
account-turn-off-explained = Danach meldet Sie Ihr Passwort allein an. Alle anderen Sitzungen und vertrauenswürdigen Geräte werden beendet.
account-prove-with = Nachweis mit
account-code = Code
account-proof-email = Code per E-Mail
account-proof-sms = Code per SMS
account-proof-backup = Ein Backup-Code
account-sign-out-everywhere = Überall abmelden
account-sign-out-everywhere-explained = Beendet alle Ihre Sitzungen auf allen Geräten und vergisst Ihre vertrauenswürdigen Geräte.
account-no-code = Geben Sie den Code aus Ihrer Authenticator-App oder einen Backup-Code ein.
account-wrong-password-or-code = Passwort oder Code ist falsch.
account-code-sent = Wir haben einen Code an { $to } gesendet.
account-too-many-codes = Es wurden zu viele Codes gesendet. Versuchen Sie es später erneut oder wählen Sie einen anderen Weg.
account-could-not-send = Wir konnten den Code gerade nicht senden. Versuchen Sie es gleich noch einmal.

## Admin pages

admin-nav = Verwaltung
admin-nav-overview = Übersicht und Benutzer
admin-events = Sicherheitsereignisse
admin-fresh-until = Aktionen brauchen bis { $until } keinen neuen Code.
admin-each-action-code = Jede Aktion verlangt einen Code aus Ihrer Authenticator-App.
admin-overview-title = Verwaltung: Übersicht und Benutzer
admin-overview-heading = Sicherheitsübersicht
admin-last-day = Letzte 24 Stunden
admin-last-week = Letzte 7 Tage
admin-sign-ins-by-factor = Anmeldungen nach Faktor
admin-sign-ins-day = Anmeldungen nach Faktor, letzte 24 Stunden
admin-sign-ins-week = Anmeldungen nach Faktor, letzte 7 Tage
admin-step = Schritt
admin-succeeded = Erfolgreich
admin-failed = Fehlgeschlagen
admin-locked = Gesperrt
admin-no-sign-ins = Keine Anmeldungen in diesem Zeitraum.
admin-step-password = Passwort
admin-step-trusted-device = Vertrauenswürdiges Gerät
admin-step-totp = Authenticator-App
admin-step-backup-code = Backup-Code
admin-step-email = E-Mail-Code
admin-step-sms = SMS-Code
admin-lockouts = Sperrungen
admin-codes-sent-email = Per E-Mail gesendete Codes
admin-codes-sent-sms = Per SMS gesendete Codes
admin-codes-failed = ({ $count } fehlgeschlagen)
admin-adoption = Zwei-Faktor-Authentifizierung in Verwendung
admin-enrolled-of = { $enrolled } von { $count ->
    [one] { $count } aktiven Benutzer
   *[other] { $count } aktiven Benutzern
}
admin-users-disabled = { $count } deaktiviert
admin-truncated = Das Audit-Protokoll enthielt mehr Ereignisse als gelesen wurden: Diese Zahlen sind eine Untergrenze.
admin-grace = Übergangsfrist
admin-grace-counts = { $inside } noch innerhalb, { $not_started } noch nicht angemeldet, { $ended } abgelaufen.
admin-grace-until = { $user } bis { $until }
admin-users = Benutzer
admin-search-users = Benutzer suchen
admin-search = Suchen
admin-users-count = { $count ->
    [one] { $count } Benutzer
   *[other] { $count } Benutzer
}
admin-users-matching = { $count ->
    [one] { $count } Benutzer
   *[other] { $count } Benutzer
} zu „{ $query }“
admin-page-of = Seite { $page } von { $pages }
admin-you = Sie
admin-disabled = deaktiviert
admin-active = aktiv
admin-locked-until = gesperrt bis { $until }
admin-no-second-factor = kein zweiter Faktor
admin-backup-codes = { $count ->
    [one] { $count } Backup-Code
   *[other] { $count } Backup-Codes
}
admin-trusted-devices = { $count ->
    [one] { $count } vertrauenswürdiges Gerät
   *[other] { $count } vertrauenswürdige Geräte
}
admin-last-sign-in = letzte Anmeldung { $when }
admin-never-signed-in = noch nie angemeldet
admin-groups-list = Gruppen: { $groups }
admin-pages-of-users = Seiten der Benutzerliste
admin-previous-page = Vorherige Seite
admin-next-page = Nächste Seite
admin-method-totp = Authenticator-App
admin-method-email = E-Mail-Codes
admin-method-sms = SMS-Codes
admin-method-since = { $method } seit { $since }
admin-user-title = Verwaltung: { $user }
admin-status = Status
admin-your-account = (Ihr Konto)
admin-groups = Gruppen
admin-none = keine
admin-second-factors = Zweite Faktoren
admin-backup-codes-left = Verbleibende Backup-Codes
admin-locked-out = Gesperrt
admin-until = bis { $until }
admin-no = nein
admin-last-sign-in-label = Letzte Anmeldung
admin-never = nie
admin-device-used = vertraut seit { $created }, zuletzt verwendet am { $when } von { $ip }
admin-actions = Aktionen
admin-actions-confirm = Jede Aktion muss zuerst bestätigt werden, unter Nennung des Benutzers.
admin-action-lockout-clear = Sperre aufheben
admin-action-revoke-sessions = Alle Sitzungen beenden
admin-action-mfa-reset = Zwei-Faktor-Authentifizierung zurücksetzen
admin-action-disable = Konto deaktivieren
admin-enable-again = Um das Konto wieder zu aktivieren: { $command } oder { $setting } aus der Benutzerdatei entfernen.
admin-confirm-title = Bestätigen: { $question }
admin-own-account = Das ist Ihr eigenes Konto.
admin-code-help = Verwaltungsaktionen brauchen einen Code, der höchstens { $fresh_for } alt ist. Ein falscher Code zählt als fehlgeschlagene Anmeldung von Ihnen: Nach { $count } in Folge wird Ihr Konto eine Weile gesperrt.
admin-confirm-for = Für { $user } bestätigen
admin-cancel = Abbrechen
admin-question-mfa-reset = Zwei-Faktor-Authentifizierung von { $user } zurücksetzen?
admin-question-lockout-clear = { $user } jetzt wieder anmelden lassen?
admin-question-revoke-sessions = Alle Sitzungen von { $user } beenden?
admin-question-disable = Das Konto von { $user } deaktivieren?
admin-question-device-revoke = Dieses vertrauenswürdige Gerät von { $user } vergessen?
admin-consequence-mfa-reset = Authenticator-App, Backup-Codes, E-Mail- und SMS-Codes und vertrauenswürdige Geräte werden vergessen, und alle Sitzungen werden beendet. Bei der nächsten Anmeldung wird die Zwei-Faktor-Authentifizierung neu eingerichtet.
admin-consequence-lockout-clear = Fehlgeschlagene Versuche werden vergessen und die Sperre endet.
admin-consequence-revoke-sessions = Der Benutzer wird überall abgemeldet, und seine vertrauenswürdigen Geräte fragen wieder nach einem zweiten Faktor.
admin-consequence-disable = Niemand kann sich mit diesem Konto anmelden, bis die Benutzerdatei etwas anderes sagt, und alle Sitzungen werden beendet.
admin-consequence-device-revoke = Dieser Browser fragt bei der nächsten Anmeldung nach einem zweiten Faktor.
admin-done-mfa-reset = Die Zwei-Faktor-Authentifizierung von { $user } wurde zurückgesetzt.
admin-done-lockout-clear = { $user } kann sich wieder anmelden.
admin-done-revoke-sessions = Alle Sitzungen von { $user } wurden beendet.
admin-done-disable = { $user } ist deaktiviert.
admin-done-device-revoke = Das Gerät von { $user } wurde vergessen.
admin-not-allowed = Nicht erlaubt
admin-navigation-required = Diese Seite öffnet sich nur in einem eigenen Browser-Tab.
admin-needs-mfa = Die Verwaltungsseite erfordert die Zwei-Faktor-Authentifizierung. Richten Sie sie auf Ihrer Kontoseite ein und melden Sie sich dann erneut an.
admin-no-such-user = Benutzer nicht gefunden
admin-no-such-user-text = In der Benutzerdatei gibt es keinen Benutzer mit diesem Namen.
admin-not-understood = Nicht verstanden
admin-unknown-action = Diese Aktion ist unbekannt.
admin-code-first = Geben Sie zuerst einen Code aus Ihrer Authenticator-App ein.
admin-device-gone = Dieses Gerät wurde bereits vergessen.
admin-events-title = Verwaltung: Sicherheitsereignisse
admin-filter-user = Benutzer
admin-filter-admin = Durch Administrator
admin-filter-kind = Art
admin-filter-outcome = Ergebnis
admin-filter-any = alle
admin-filter-since = Seit
admin-filter-since-help = 1h, 7d oder 2026-11-23T08:00:00Z
admin-filter-show = Anzeigen
admin-filter-not-applied = Filter nicht angewendet: { $why }.
admin-filter-not-understood = Filter nicht verstanden
admin-filter-bad-kind = unbekannte Art „{ $value }“
admin-filter-bad-outcome = unbekanntes Ergebnis „{ $value }“
admin-filter-bad-since = seit „{ $value }“: erwartet wird eine Dauer (1h, 7d) oder ein Zeitpunkt (2026-11-23T08:00:00Z)
admin-export = Diese Ereignisse exportieren:
admin-newest-first = Neueste zuerst
admin-event-from = von { $ip }
admin-events-shown = Die 100 neuesten werden angezeigt; der Export enthält bis zu 10.000.
admin-no-events = Keine passenden Ereignisse.

## E-mail and text message with a code

mail-code-subject = Ihr Anmeldecode für { $service }
mail-code-is = Ihr Anmeldecode für { $service } lautet { $code }.
mail-code-your-code = Ihr Anmeldecode lautet
mail-code-asked = Er wurde am { $when } von { $ip } ({ $browser }) für die Anmeldung als { $user } angefordert.
mail-code-valid = Er ist { $valid_for } gültig und nur einmal verwendbar.
mail-code-never-ask = Niemand von { $service } wird Sie jemals nach diesem Code fragen.
mail-code-not-you = Falls Sie nicht versucht haben, sich anzumelden, geben Sie ihn an niemanden weiter und ändern Sie Ihr Passwort.
sms-code = { $code } ist Ihr Anmeldecode für { $service } als { $user }. Er ist { $valid_for } gültig und nur einmal verwendbar. Niemand von { $service } wird Sie danach fragen.

## E-mail notices of changes to an account

notice-authenticator-enrolled = Für Ihr Konto wurde eine Authenticator-App eingerichtet
notice-authenticator-replaced = Ihre Authenticator-App wurde ersetzt
notice-email-codes-enrolled = Codes per E-Mail wurden als Ihr zweiter Schritt eingerichtet
notice-sms-codes-enrolled = Codes per SMS wurden als Ihr zweiter Schritt eingerichtet
notice-mfa-turned-off = Die Zwei-Faktor-Authentifizierung wurde ausgeschaltet
notice-backup-codes-regenerated = Neue Backup-Codes wurden erzeugt; die alten gelten nicht mehr
notice-device-trusted = Ein Gerät überspringt nun den zweiten Schritt
notice-mfa-reset = Ein Administrator hat Ihre Zwei-Faktor-Authentifizierung zurückgesetzt
notice-locked-out = Ihr Konto wurde nach fehlgeschlagenen Anmeldungen gesperrt
notice-advice-locked-out = Wenn Sie das nicht waren, versucht vielleicht jemand, Ihr Passwort zu erraten: Ändern Sie es und informieren Sie Ihren Administrator.
notice-advice-mfa-reset = Bei Ihrer nächsten Anmeldung richten Sie erneut einen zweiten Faktor ein. Wenn Sie das nicht veranlasst haben, informieren Sie Ihren Administrator.
notice-advice = Wenn Sie das waren, ist nichts zu tun. Wenn nicht, ändern Sie sofort Ihr Passwort und informieren Sie Ihren Administrator.
notice-happened = Das betrifft Ihr Konto { $user } bei { $service }, am { $when }.
notice-happened-from = Das betrifft Ihr Konto { $user } bei { $service }, am { $when }, von { $ip } ({ $browser }).
notice-never-code = Diese Nachricht enthält nie einen Code oder ein Passwort, und niemand von { $service } wird Sie jemals danach fragen.

## Passkeys and security keys

invalid-passkey = Dieser Passkey konnte nicht bestätigt werden. Versuchen Sie es erneut oder wählen Sie einen anderen Weg.
mfa-use-passkey = Passkey oder Sicherheitsschlüssel verwenden
account-passkeys-count = Passkeys und Sicherheitsschlüssel: { $count }
account-passkeys = Passkeys und Sicherheitsschlüssel
account-passkey-blocked = gesperrt: möglicherweise kopiert
account-passkey-added-at = hinzugefügt am { $when }
account-passkey-used-at = zuletzt verwendet am { $when }
account-passkey-blocked-why = Ein gesperrter Passkey hat mit einem niedrigeren Zähler signiert als zuvor, wie es eine Kopie täte. Entfernen Sie ihn und fügen Sie ihn erneut hinzu, wenn er Ihnen gehört.
account-add-passkey = Passkey oder Sicherheitsschlüssel hinzufügen
account-remove-passkey = Passkey „{ $name }“ entfernen
account-new-passkey-name = Name eines neuen Passkeys
account-new-passkey-placeholder = z. B. Laptop, YubiKey
account-confirm-with-passkey = Stattdessen mit einem Passkey bestätigen
account-passkey-was-added = Der Passkey „{ $name }“ wurde hinzugefügt.
account-passkey-was-removed = Der Passkey „{ $name }“ wurde entfernt.
account-passkey-not-yours = Dieser Passkey gehört nicht Ihnen oder wurde bereits entfernt.
account-passkey-registered-already = Dieser Passkey ist bereits registriert.
account-passkey-not-added = Der Passkey konnte nicht hinzugefügt werden: Seine Antwort war ungültig oder der Schritt hat zu lange gedauert. Versuchen Sie es erneut.
passkey-add-title = Passkey hinzufügen
passkey-add-intro = Ihr Browser fragt Sie, ob Sie einen Passkey auf diesem Gerät, auf Ihrem Smartphone oder auf einem Sicherheitsschlüssel erstellen möchten.
passkey-name = Name
passkey-create = Passkey erstellen
passkey-cancel = Abbrechen
passkey-cancelled = Der Passkey wurde nicht verwendet: Die Anfrage wurde abgebrochen oder ist abgelaufen. Versuchen Sie es erneut.
passkey-registered = Dieser Passkey ist bereits registriert.
passkey-failed = Der Browser konnte keinen Passkey verwenden. Versuchen Sie es erneut oder wählen Sie einen anderen Weg.
passkey-unsupported = Dieser Browser kann keine Passkeys verwenden.
passkey-needs-script = Passkeys benötigen JavaScript, das in diesem Browser ausgeschaltet ist.
enroll-passkey-heading = Oder einen Passkey verwenden
enroll-passkey-intro = Ihr Fingerabdruck, Ihr Gesicht oder die Displaysperre dieses Geräts oder Ihres Smartphones, oder ein Sicherheitsschlüssel – statt Codes einzutippen.
enroll-passkey-name = Name des Passkeys
enroll-passkey-default-name = Passkey
enroll-passkey-button = Passkey einrichten
enroll-passkey-failed = Der Passkey konnte nicht eingerichtet werden: Er war ungültig oder der Schritt hat zu lange gedauert. Versuchen Sie es erneut.
login-with-passkey = Mit einem Passkey anmelden
admin-method-webauthn = Passkeys
admin-step-webauthn = Passkey
notice-passkey-added = Ihrem Konto wurde ein Passkey oder Sicherheitsschlüssel hinzugefügt
notice-passkey-removed = Aus Ihrem Konto wurde ein Passkey oder Sicherheitsschlüssel entfernt
account-passkey-last = Dieser Passkey ist Ihr einziger zweiter Faktor: Richten Sie zuerst einen weiteren ein (eine Authenticator-App oder einen weiteren Passkey) oder schalten Sie die Zwei-Faktor-Authentifizierung aus.

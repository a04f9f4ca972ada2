# Portcullis — Nederlands. Dezelfde sleutels en variabelen als locales/en/main.ftl; alleen tekst, geen opmaak.

## Shared by several pages

login-title = Inloggen
common-password = Wachtwoord
common-your-account = Uw account
common-sign-out = Uitloggen
common-signed-in-as = Ingelogd als { $user }.
common-code-from-app = Code uit uw authenticator-app
common-backup-code = Back-upcode
common-backup-code-instead = In plaats daarvan een back-upcode gebruiken
common-email-me-code = Stuur mij een code per e-mail
common-text-me-code = Stuur mij een code per sms
common-trusted-devices = Vertrouwde apparaten
common-no-trusted-devices = Geen vertrouwde apparaten.
common-forget-device = Dit apparaat vergeten

duration-minutes = { $count ->
    [one] { $count } minuut
   *[other] { $count } minuten
}
duration-hours = { $count ->
    [one] { $count } uur
   *[other] { $count } uur
}
duration-days = { $count ->
    [one] { $count } dag
   *[other] { $count } dagen
}

browser-on = { $browser } op { $system }
browser-any-on = een browser op { $system }
browser-unknown = een onbekende browser

## Sign-in page

login-username = Gebruikersnaam
login-submit = Inloggen

## Refusals and errors

invalid-credentials = Onjuiste gebruikersnaam of onjuist wachtwoord.
invalid-enrol-code = Die code is niet geldig. Controleer de tijd op uw apparaat en voer de code in die de app nu toont.
invalid-code = Die code is niet geldig. Een code werkt één keer: wacht op de volgende, controleer de tijd op uw apparaat of gebruik een back-upcode.
invalid-backup-code = Die back-upcode is niet geldig of is al gebruikt. Elke back-upcode werkt één keer.
error-locked = Te veel mislukte pogingen. Probeer het over { $minutes ->
    [one] { $minutes } minuut
   *[other] { $minutes } minuten
} opnieuw.
error-request-refused = Verzoek geweigerd
error-form-expired = Dit formulier is verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens.
error-bad-request = Ongeldig verzoek
error-form-unreadable = Het formulier kon niet worden gelezen.
error-busy = Bezet
error-busy-text = Te veel inlogpogingen tegelijk. Probeer het zo meteen opnieuw.
error-not-found = Niet gevonden
error-not-found-text = Op dit adres staat geen pagina.
error-try-again = Probeer het opnieuw
error-unavailable = Er ging aan onze kant iets mis. Probeer het zo meteen opnieuw.
error-stale = Probeer het zo meteen opnieuw
error-stale-text = De inlogdienst kan uw sessie op dit moment niet bevestigen. Er gaat niets verloren: laad deze pagina over een paar seconden opnieuw.
error-access-denied = Toegang geweigerd
error-no-access = U hebt geen toegang tot deze pagina.
error-too-many-requests = Te veel verzoeken
error-too-many-from-network = Te veel pogingen vanaf uw netwerk. Probeer het over { $seconds ->
    [one] { $seconds } seconde
   *[other] { $seconds } seconden
} opnieuw.
error-bad-gateway = Applicatie niet bereikbaar
error-gateway-timeout = Time-out
error-app-unreachable = De applicatie is op dit moment niet bereikbaar. Probeer het straks opnieuw.
error-app-timeout = De applicatie deed er te lang over om te antwoorden. Probeer het straks opnieuw.
error-page-failed = Er ging iets mis.

## Second-factor page

mfa-title = Verificatie in twee stappen
mfa-remember = Dit apparaat { $duration } onthouden
mfa-verify = Verifiëren
mfa-use-app = Uw authenticator-app gebruiken
mfa-use-backup-code = Een back-upcode gebruiken
mfa-verify-backup-code = Back-upcode verifiëren
mfa-code-from-email = Code uit de e-mail
mfa-code-from-sms = Code uit de sms
mfa-send-new-code = Stuur een nieuwe code
mfa-code-sent = We hebben een code naar { $to } gestuurd. Hij werkt één keer, { $duration } lang.
mfa-too-many-codes = Er zijn te veel codes verstuurd. Probeer het over { $wait } opnieuw of kies een andere manier.
mfa-could-not-send = We konden de code nu niet versturen. Probeer het zo meteen opnieuw of kies een andere manier.

## Enrolment page

enroll-title = Verificatie in twee stappen instellen
enroll-replacing = Stel uw nieuwe authenticator-app in. Zodra die actief is, werken de codes van de oude app en uw oude back-upcodes niet meer.
enroll-needs-factor = Voor dit account is een tweede factor nodig.
enroll-step-scan = Scan deze QR-code met een authenticator-app, of voer de sleutel hieronder met de hand in.
enroll-step-type = Voer de code van { $digits } cijfers in die de app toont.
enroll-qr-label = QR-code voor uw authenticator-app
enroll-key = Sleutel
enroll-setup-link = Op dit apparaat? Gebruik de instellingslink
enroll-open-app = Openen in de authenticator-app
enroll-code = Code uit de app
enroll-activate = Activeren
enroll-or-sent = Of laat codes naar u sturen
enroll-no-app = Geen app? Dan krijgt u bij elke keer inloggen een code toegestuurd.
enroll-cancel = Annuleren: huidige app houden

## Backup codes, shown once

codes-title = Uw back-upcodes
codes-heading = Bewaar uw back-upcodes
codes-intro = Met elke code kunt u één keer inloggen als u uw authenticator kwijtraakt. Bewaar ze op een veilige plek, zoals een wachtwoordbeheerder of op papier:
codes-shown-once = dit is de enige keer dat ze worden getoond.
codes-replaced = Uw vorige back-upcodes werken niet meer.
codes-continue = Ik heb ze bewaard — doorgaan

## Account page

account-back-to-app = Terug naar de applicatie
account-admin-link = Beheer: gebruikers en beveiliging
account-app-active = Authenticator-app: actief
account-app-active-since = Authenticator-app: actief sinds { $since }
account-app-not-set-up = Authenticator-app: niet ingesteld
account-codes-by-email = Codes per e-mail naar { $to }
account-codes-by-sms = Codes per sms naar { $to }
account-backup-left = Resterende back-upcodes: { $count }
account-required = Uw organisatie vereist verificatie in twee stappen voor uw account.
account-device-last-used = laatst gebruikt op { $when } vanaf { $ip }
account-this-device = dit apparaat
account-change-factor = Uw tweede factor wijzigen
account-what-to-do = Wat wilt u doen?
account-new-backup-codes = Nieuwe back-upcodes aanmaken
account-new-app = Een nieuwe authenticator-app instellen
account-fresh-code = Elke wijziging vraagt om een verse code.
account-continue = Doorgaan
account-turn-off = Verificatie in twee stappen uitschakelen
account-turn-off-explained = Daarna logt u in met alleen uw wachtwoord. Alle andere sessies en vertrouwde apparaten worden beëindigd.
account-prove-with = Bevestigen met
account-code = Code
account-proof-email = Code per e-mail
account-proof-sms = Code per sms
account-proof-backup = Een back-upcode
account-sign-out-everywhere = Overal uitloggen
account-sign-out-everywhere-explained = Beëindigt al uw sessies op al uw apparaten en vergeet uw vertrouwde apparaten.
account-no-code = Voer de code uit uw authenticator-app of een back-upcode in.
account-wrong-password-or-code = Onjuist wachtwoord of onjuiste code.
account-code-sent = We hebben een code naar { $to } gestuurd.
account-too-many-codes = Er zijn te veel codes verstuurd. Probeer het later opnieuw of kies een andere manier.
account-could-not-send = We konden de code nu niet versturen. Probeer het zo meteen opnieuw.

## Admin pages

admin-nav = Beheer
admin-nav-overview = Overzicht en gebruikers
admin-events = Beveiligingsgebeurtenissen
admin-fresh-until = Acties vragen tot { $until } geen nieuwe code.
admin-each-action-code = Elke actie vraagt om een code uit uw authenticator-app.
admin-overview-title = Beheer: overzicht en gebruikers
admin-overview-heading = Beveiligingsoverzicht
admin-last-day = Afgelopen 24 uur
admin-last-week = Afgelopen 7 dagen
admin-sign-ins-by-factor = Inlogpogingen per factor
admin-sign-ins-day = Inlogpogingen per factor, afgelopen 24 uur
admin-sign-ins-week = Inlogpogingen per factor, afgelopen 7 dagen
admin-step = Stap
admin-succeeded = Gelukt
admin-failed = Mislukt
admin-locked = Geblokkeerd
admin-no-sign-ins = Geen inlogpogingen in deze periode.
admin-step-password = Wachtwoord
admin-step-trusted-device = Vertrouwd apparaat
admin-step-totp = Authenticator-app
admin-step-backup-code = Back-upcode
admin-step-email = E-mailcode
admin-step-sms = Sms-code
admin-lockouts = Blokkeringen
admin-codes-sent-email = Codes verstuurd per e-mail
admin-codes-sent-sms = Codes verstuurd per sms
admin-codes-failed = ({ $count } mislukt)
admin-adoption = Verificatie in twee stappen in gebruik
admin-enrolled-of = { $enrolled } van { $count ->
    [one] { $count } actieve gebruiker
   *[other] { $count } actieve gebruikers
}
admin-users-disabled = { $count } uitgeschakeld
admin-truncated = Het auditlogboek bevatte meer gebeurtenissen dan er werden gelezen: deze aantallen zijn een ondergrens.
admin-grace = Overgangsperiode
admin-grace-counts = { $inside } nog binnen de periode, { $not_started } nog niet ingelogd, { $ended } voorbij de periode.
admin-grace-until = { $user } tot { $until }
admin-users = Gebruikers
admin-search-users = Gebruikers zoeken
admin-search = Zoeken
admin-users-count = { $count ->
    [one] { $count } gebruiker
   *[other] { $count } gebruikers
}
admin-users-matching = { $count ->
    [one] { $count } gebruiker
   *[other] { $count } gebruikers
} met „{ $query }”
admin-page-of = pagina { $page } van { $pages }
admin-you = u
admin-disabled = uitgeschakeld
admin-active = actief
admin-locked-until = geblokkeerd tot { $until }
admin-no-second-factor = geen tweede factor
admin-backup-codes = { $count ->
    [one] { $count } back-upcode
   *[other] { $count } back-upcodes
}
admin-trusted-devices = { $count ->
    [one] { $count } vertrouwd apparaat
   *[other] { $count } vertrouwde apparaten
}
admin-last-sign-in = laatst ingelogd { $when }
admin-never-signed-in = nooit ingelogd
admin-groups-list = groepen: { $groups }
admin-pages-of-users = Pagina’s van de gebruikerslijst
admin-previous-page = Vorige pagina
admin-next-page = Volgende pagina
admin-method-totp = authenticator-app
admin-method-email = e-mailcodes
admin-method-sms = sms-codes
admin-method-since = { $method } sinds { $since }
admin-user-title = Beheer: { $user }
admin-status = Status
admin-your-account = (uw account)
admin-groups = Groepen
admin-none = geen
admin-second-factors = Tweede factoren
admin-backup-codes-left = Resterende back-upcodes
admin-locked-out = Geblokkeerd
admin-until = tot { $until }
admin-no = nee
admin-last-sign-in-label = Laatst ingelogd
admin-never = nooit
admin-device-used = vertrouwd sinds { $created }, laatst gebruikt op { $when } vanaf { $ip }
admin-actions = Acties
admin-actions-confirm = Elke actie vraagt eerst om een bevestiging waarin de gebruiker wordt genoemd.
admin-action-lockout-clear = Blokkering opheffen
admin-action-revoke-sessions = Alle sessies beëindigen
admin-action-mfa-reset = Verificatie in twee stappen resetten
admin-action-disable = Account uitschakelen
admin-enable-again = Om het account weer in te schakelen: { $command }, of haal { $setting } uit het gebruikersbestand.
admin-confirm-title = Bevestigen: { $question }
admin-own-account = Dit is uw eigen account.
admin-code-help = Beheeracties vragen om een code die minder dan { $fresh_for } geleden is ingevoerd. Een onjuiste code telt als een mislukte inlogpoging van u: na { $count } op rij wordt uw account een tijdje geblokkeerd.
admin-confirm-for = Bevestigen voor { $user }
admin-cancel = Annuleren
admin-question-mfa-reset = Verificatie in twee stappen van { $user } resetten?
admin-question-lockout-clear = { $user } nu weer laten inloggen?
admin-question-revoke-sessions = Alle sessies van { $user } beëindigen?
admin-question-disable = Het account van { $user } uitschakelen?
admin-question-device-revoke = Dit vertrouwde apparaat van { $user } vergeten?
admin-consequence-mfa-reset = De authenticator-app, back-upcodes, e-mail- en sms-codes en vertrouwde apparaten worden vergeten, en alle sessies worden beëindigd. Bij de volgende keer inloggen wordt verificatie in twee stappen opnieuw ingesteld.
admin-consequence-lockout-clear = Mislukte pogingen worden vergeten en de blokkering eindigt.
admin-consequence-revoke-sessions = De gebruiker wordt overal uitgelogd en de vertrouwde apparaten vragen weer om een tweede factor.
admin-consequence-disable = Niemand kan met dit account inloggen totdat het gebruikersbestand iets anders zegt, en alle sessies worden beëindigd.
admin-consequence-device-revoke = Die browser vraagt bij de volgende keer inloggen om een tweede factor.
admin-done-mfa-reset = Verificatie in twee stappen van { $user } is gereset.
admin-done-lockout-clear = { $user } kan weer inloggen.
admin-done-revoke-sessions = Alle sessies van { $user } zijn beëindigd.
admin-done-disable = { $user } is uitgeschakeld.
admin-done-device-revoke = Het apparaat van { $user } is vergeten.
admin-not-allowed = Niet toegestaan
admin-navigation-required = Deze pagina opent alleen in een eigen browsertabblad.
admin-needs-mfa = De beheerpagina vereist verificatie in twee stappen. Stel die in op uw accountpagina en log daarna opnieuw in.
admin-no-such-user = Onbekende gebruiker
admin-no-such-user-text = Er staat geen gebruiker met die naam in het gebruikersbestand.
admin-not-understood = Niet begrepen
admin-unknown-action = Die actie is onbekend.
admin-code-first = Voer eerst een code uit uw authenticator-app in.
admin-device-gone = Dat apparaat was al vergeten.
admin-events-title = Beheer: beveiligingsgebeurtenissen
admin-filter-user = Gebruiker
admin-filter-admin = Door beheerder
admin-filter-kind = Soort
admin-filter-outcome = Resultaat
admin-filter-any = alle
admin-filter-since = Sinds
admin-filter-since-help = 1h, 7d of 2026-11-23T08:00:00Z
admin-filter-show = Tonen
admin-filter-not-applied = Filter niet toegepast: { $why }.
admin-filter-not-understood = Filter niet begrepen
admin-filter-bad-kind = onbekende soort „{ $value }”
admin-filter-bad-outcome = onbekend resultaat „{ $value }”
admin-filter-bad-since = sinds „{ $value }”: verwacht een duur (1h, 7d) of een tijdstip (2026-11-23T08:00:00Z)
admin-export = Deze gebeurtenissen exporteren:
admin-newest-first = Nieuwste eerst
admin-event-from = vanaf { $ip }
admin-events-shown = De 100 nieuwste worden getoond; de export bevat er tot 10.000.
admin-no-events = Geen gebeurtenissen gevonden.

## E-mail and text message with a code

mail-code-subject = Inlogcode voor { $service }
mail-code-is = Uw inlogcode voor { $service } is { $code }.
mail-code-your-code = Uw inlogcode is
mail-code-asked = Hij is aangevraagd om in te loggen als { $user }, op { $when } vanaf { $ip } ({ $browser }).
mail-code-valid = Hij werkt één keer, { $valid_for } lang.
mail-code-never-ask = Niemand van { $service } zal u ooit om deze code vragen.
mail-code-not-you = Als u niet probeerde in te loggen, geef de code dan aan niemand en wijzig uw wachtwoord.
sms-code = { $code } is uw inlogcode voor { $service } als { $user }. Hij werkt één keer, { $valid_for } lang. Niemand van { $service } zal u erom vragen.

## E-mail notices of changes to an account

notice-authenticator-enrolled = Er is een authenticator-app ingesteld voor uw account
notice-authenticator-replaced = Uw authenticator-app is vervangen
notice-email-codes-enrolled = Codes per e-mail zijn ingesteld als uw tweede stap
notice-sms-codes-enrolled = Codes per sms zijn ingesteld als uw tweede stap
notice-mfa-turned-off = Verificatie in twee stappen is uitgeschakeld
notice-backup-codes-regenerated = Er zijn nieuwe back-upcodes aangemaakt; de oude werken niet meer
notice-device-trusted = Een apparaat slaat voortaan de tweede stap over
notice-mfa-reset = Een beheerder heeft uw verificatie in twee stappen gereset
notice-locked-out = Uw account is geblokkeerd na mislukte inlogpogingen
notice-advice-locked-out = Als u dit niet was, probeert iemand misschien uw wachtwoord te raden: wijzig het en laat het uw beheerder weten.
notice-advice-mfa-reset = Bij de volgende keer inloggen stelt u opnieuw een tweede factor in. Als u hier niet om hebt gevraagd, laat het uw beheerder weten.
notice-advice = Als u dit was, hoeft u niets te doen. Zo niet, wijzig dan meteen uw wachtwoord en laat het uw beheerder weten.
notice-happened = Dit gebeurde met uw account { $user } bij { $service } op { $when }.
notice-happened-from = Dit gebeurde met uw account { $user } bij { $service } op { $when }, vanaf { $ip } ({ $browser }).
notice-never-code = Dit bericht bevat nooit een code of wachtwoord, en niemand van { $service } zal u daar ooit om vragen.

## Passkeys and security keys

invalid-passkey = Die passkey kon niet worden gecontroleerd. Probeer het opnieuw of gebruik een andere manier.
mfa-use-passkey = Gebruik uw passkey of beveiligingssleutel
account-passkeys-count = Passkeys en beveiligingssleutels: { $count }
account-passkeys = Passkeys en beveiligingssleutels
account-passkey-blocked = geblokkeerd: mogelijk gekopieerd
account-passkey-added-at = toegevoegd op { $when }
account-passkey-used-at = laatst gebruikt op { $when }
account-passkey-blocked-why = Een geblokkeerde passkey ondertekende met een lagere teller dan eerder, zoals een kopie zou doen. Verwijder hem en voeg hem opnieuw toe als hij van u is.
account-add-passkey = Een passkey of beveiligingssleutel toevoegen
account-remove-passkey = De passkey ‘{ $name }’ verwijderen
account-new-passkey-name = Naam van een nieuwe passkey
account-new-passkey-placeholder = bijv. Laptop, YubiKey
account-confirm-with-passkey = Bevestig in plaats daarvan met een passkey
account-passkey-was-added = De passkey ‘{ $name }’ is toegevoegd.
account-passkey-was-removed = De passkey ‘{ $name }’ is verwijderd.
account-passkey-not-yours = Die passkey is niet van u, of hij is al verwijderd.
account-passkey-registered-already = Die passkey is al geregistreerd.
account-passkey-not-added = De passkey kon niet worden toegevoegd: het antwoord klopte niet, of de stap duurde te lang. Probeer het opnieuw.
passkey-add-title = Een passkey toevoegen
passkey-add-intro = Uw browser vraagt u een passkey te maken op dit apparaat, op uw telefoon of op een beveiligingssleutel.
passkey-name = Naam
passkey-create = Passkey maken
passkey-cancel = Annuleren
passkey-cancelled = De passkey is niet gebruikt: het verzoek is geannuleerd of verlopen. Probeer het opnieuw.
passkey-registered = Deze passkey is al geregistreerd.
passkey-failed = De browser kon geen passkey gebruiken. Probeer het opnieuw of gebruik een andere manier.
passkey-unsupported = Deze browser kan geen passkeys gebruiken.
passkey-needs-script = Passkeys hebben JavaScript nodig, en dat staat uit in deze browser.
enroll-passkey-heading = Of gebruik een passkey
enroll-passkey-intro = Uw vingerafdruk, gezicht of schermvergrendeling op dit apparaat of uw telefoon, of een beveiligingssleutel, in plaats van codes te typen.
enroll-passkey-name = Naam van de passkey
enroll-passkey-default-name = Passkey
enroll-passkey-button = Een passkey instellen
enroll-passkey-failed = De passkey kon niet worden ingesteld: hij klopte niet, of de stap duurde te lang. Probeer het opnieuw.
login-with-passkey = Inloggen met een passkey
admin-method-webauthn = passkeys
admin-step-webauthn = Passkey
notice-passkey-added = Er is een passkey of beveiligingssleutel aan uw account toegevoegd
notice-passkey-removed = Er is een passkey of beveiligingssleutel uit uw account verwijderd
account-passkey-last = Deze passkey is uw enige tweede factor: stel eerst een andere in (een authenticator-app of nog een passkey), of zet verificatie in twee stappen uit.

# Portcullis — polski. Te same klucze i zmienne co locales/en/main.ftl; sam tekst, bez znaczników.
# Czas trwania (duration-*) jest w bierniku („za 1 minutę”, „przez 1 godzinę”): tak go używają
# wszystkie zdania, które go wstawiają.

## Shared by several pages

login-title = Zaloguj się
common-password = Hasło
common-your-account = Twoje konto
common-sign-out = Wyloguj się
common-signed-in-as = Zalogowano jako { $user }.
common-code-from-app = Kod z aplikacji uwierzytelniającej
common-backup-code = Kod zapasowy
common-backup-code-instead = Użyj kodu zapasowego
common-email-me-code = Wyślij mi kod e-mailem
common-text-me-code = Wyślij mi kod SMS-em
common-trusted-devices = Zaufane urządzenia
common-no-trusted-devices = Brak zaufanych urządzeń.
common-forget-device = Zapomnij to urządzenie

duration-minutes = { $count ->
    [one] { $count } minutę
    [few] { $count } minuty
    [many] { $count } minut
   *[other] { $count } minuty
}
duration-hours = { $count ->
    [one] { $count } godzinę
    [few] { $count } godziny
    [many] { $count } godzin
   *[other] { $count } godziny
}
duration-days = { $count ->
    [one] { $count } dzień
    [few] { $count } dni
    [many] { $count } dni
   *[other] { $count } dnia
}

browser-on = { $browser } w systemie { $system }
browser-any-on = przeglądarka w systemie { $system }
browser-unknown = nieznana przeglądarka

## Sign-in page

login-username = Nazwa użytkownika
login-submit = Zaloguj się

## Refusals and errors

invalid-credentials = Nieprawidłowa nazwa użytkownika lub hasło.
invalid-enrol-code = Ten kod jest nieprawidłowy. Sprawdź godzinę na swoim urządzeniu i wpisz kod, który aplikacja pokazuje teraz.
invalid-code = Ten kod jest nieprawidłowy. Każdy kod działa tylko raz: poczekaj na następny, sprawdź godzinę na swoim urządzeniu albo użyj kodu zapasowego.
invalid-backup-code = Ten kod zapasowy jest nieprawidłowy albo został już użyty. Każdy kod zapasowy działa tylko raz.
error-locked = Zbyt wiele nieudanych prób. Spróbuj ponownie za { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
    [many] { $minutes } minut
   *[other] { $minutes } minuty
}.
error-request-refused = Żądanie odrzucone
error-form-expired = Ten formularz wygasł. Wróć, odśwież stronę i spróbuj ponownie.
error-bad-request = Nieprawidłowe żądanie
error-form-unreadable = Nie udało się odczytać formularza.
error-busy = Usługa zajęta
error-busy-text = Zbyt wiele logowań naraz. Spróbuj ponownie za chwilę.
error-not-found = Nie znaleziono
error-not-found-text = Pod tym adresem nie ma żadnej strony.
error-try-again = Spróbuj ponownie
error-unavailable = Coś poszło nie tak po naszej stronie. Spróbuj ponownie za chwilę.
error-stale = Spróbuj ponownie za chwilę
error-stale-text = Usługa logowania nie może teraz potwierdzić Twojej sesji. Nic nie zostało utracone: odśwież tę stronę za kilka sekund.
error-access-denied = Brak dostępu
error-no-access = Nie masz dostępu do tej strony.
error-too-many-requests = Zbyt wiele żądań
error-too-many-from-network = Zbyt wiele prób z Twojej sieci. Spróbuj ponownie za { $seconds ->
    [one] { $seconds } sekundę
    [few] { $seconds } sekundy
    [many] { $seconds } sekund
   *[other] { $seconds } sekundy
}.
error-bad-gateway = Aplikacja niedostępna
error-gateway-timeout = Przekroczono czas oczekiwania
error-app-unreachable = Aplikacja jest teraz niedostępna. Spróbuj ponownie za chwilę.
error-app-timeout = Aplikacja zbyt długo nie odpowiadała. Spróbuj ponownie za chwilę.
error-page-failed = Coś poszło nie tak.

## Second-factor page

mfa-title = Weryfikacja dwuetapowa
mfa-remember = Zapamiętaj to urządzenie na { $duration }
mfa-verify = Zweryfikuj
mfa-use-app = Użyj aplikacji uwierzytelniającej
mfa-use-backup-code = Użyj kodu zapasowego
mfa-verify-backup-code = Zweryfikuj kod zapasowy
mfa-code-from-email = Kod z e-maila
mfa-code-from-sms = Kod z SMS-a
mfa-send-new-code = Wyślij nowy kod
mfa-code-sent = Wysłaliśmy kod na { $to }. Działa jeden raz przez { $duration }.
mfa-too-many-codes = Wysłano zbyt wiele kodów. Spróbuj ponownie za { $wait } albo wybierz inny sposób.
mfa-could-not-send = Nie udało się teraz wysłać kodu. Spróbuj ponownie za chwilę albo wybierz inny sposób.

## Enrolment page

enroll-title = Skonfiguruj weryfikację dwuetapową
enroll-replacing = Skonfiguruj nową aplikację uwierzytelniającą. Gdy tylko zacznie działać, kody ze starej aplikacji i stare kody zapasowe przestaną działać.
enroll-needs-factor = To konto wymaga drugiego składnika.
enroll-step-scan = Zeskanuj ten kod QR aplikacją uwierzytelniającą albo wpisz ręcznie klucz podany poniżej.
enroll-step-type = Wpisz { $digits }-cyfrowy kod, który pokazuje aplikacja.
enroll-qr-label = Kod QR dla aplikacji uwierzytelniającej
enroll-key = Klucz
enroll-setup-link = Na tym urządzeniu? Użyj linku konfiguracyjnego
enroll-open-app = Otwórz w aplikacji uwierzytelniającej
enroll-code = Kod z aplikacji
enroll-activate = Aktywuj
enroll-or-sent = Albo otrzymuj kody
enroll-no-app = Nie masz aplikacji? Przy każdym logowaniu dostaniesz kod.
enroll-cancel = Anuluj: zachowaj obecną aplikację

## Backup codes, shown once

codes-title = Twoje kody zapasowe
codes-heading = Zapisz swoje kody zapasowe
codes-intro = Każdy kod pozwala zalogować się raz, jeśli zgubisz aplikację uwierzytelniającą. Przechowuj je w bezpiecznym miejscu, na przykład w menedżerze haseł albo na wydruku:
codes-shown-once = widzisz je tylko ten jeden raz.
codes-replaced = Poprzednie kody zapasowe już nie działają.
codes-continue = Zapisane — dalej

## Account page

account-back-to-app = Wróć do aplikacji
account-admin-link = Administracja: użytkownicy i bezpieczeństwo
account-app-active = Aplikacja uwierzytelniająca: aktywna
account-app-active-since = Aplikacja uwierzytelniająca: aktywna od { $since }
account-app-not-set-up = Aplikacja uwierzytelniająca: nieskonfigurowana
account-codes-by-email = Kody e-mailem na { $to }
account-codes-by-sms = Kody SMS-em na { $to }
account-backup-left = Pozostałe kody zapasowe: { $count }
account-required = Twoja organizacja wymaga weryfikacji dwuetapowej dla Twojego konta.
account-device-last-used = ostatnio użyte { $when } z adresu { $ip }
account-this-device = to urządzenie
account-change-factor = Zmień drugi składnik
account-what-to-do = Co chcesz zrobić
account-new-backup-codes = Wygeneruj nowe kody zapasowe
account-new-app = Skonfiguruj nową aplikację uwierzytelniającą
account-fresh-code = Każda zmiana wymaga świeżego kodu.
account-continue = Dalej
account-turn-off = Wyłącz weryfikację dwuetapową
account-turn-off-explained = Potem do logowania wystarczy samo hasło. Wszystkie inne sesje i zaufane urządzenia zostaną zakończone.
account-prove-with = Potwierdź za pomocą
account-code = Kod
account-proof-email = Kod wysłany e-mailem
account-proof-sms = Kod wysłany SMS-em
account-proof-backup = Kod zapasowy
account-sign-out-everywhere = Wyloguj się wszędzie
account-sign-out-everywhere-explained = Kończy wszystkie Twoje sesje na wszystkich urządzeniach i zapomina Twoje zaufane urządzenia.
account-no-code = Wpisz kod z aplikacji uwierzytelniającej albo kod zapasowy.
account-wrong-password-or-code = Nieprawidłowe hasło lub kod.
account-code-sent = Wysłaliśmy kod na { $to }.
account-too-many-codes = Wysłano zbyt wiele kodów. Spróbuj ponownie później albo wybierz inny sposób.
account-could-not-send = Nie udało się teraz wysłać kodu. Spróbuj ponownie za chwilę.

## Admin pages

admin-nav = Administracja
admin-nav-overview = Przegląd i użytkownicy
admin-events = Zdarzenia bezpieczeństwa
admin-fresh-until = Do { $until } akcje nie wymagają nowego kodu.
admin-each-action-code = Każda akcja wymaga kodu z aplikacji uwierzytelniającej.
admin-overview-title = Administracja: przegląd i użytkownicy
admin-overview-heading = Przegląd bezpieczeństwa
admin-last-day = Ostatnie 24 godziny
admin-last-week = Ostatnie 7 dni
admin-sign-ins-by-factor = Logowania według składnika
admin-sign-ins-day = Logowania według składnika, ostatnie 24 godziny
admin-sign-ins-week = Logowania według składnika, ostatnie 7 dni
admin-step = Krok
admin-succeeded = Udane
admin-failed = Nieudane
admin-locked = Zablokowane
admin-no-sign-ins = Brak logowań w tym okresie.
admin-step-password = Hasło
admin-step-trusted-device = Zaufane urządzenie
admin-step-totp = Aplikacja uwierzytelniająca
admin-step-backup-code = Kod zapasowy
admin-step-email = Kod e-mailem
admin-step-sms = Kod SMS-em
admin-lockouts = Blokady
admin-codes-sent-email = Kody wysłane e-mailem
admin-codes-sent-sms = Kody wysłane SMS-em
admin-codes-failed = ({ $count ->
    [one] { $count } nieudany
    [few] { $count } nieudane
    [many] { $count } nieudanych
   *[other] { $count } nieudanego
})
admin-adoption = Weryfikacja dwuetapowa w użyciu
admin-enrolled-of = { $enrolled } z { $count ->
    [one] { $count } aktywnego użytkownika
    [few] { $count } aktywnych użytkowników
    [many] { $count } aktywnych użytkowników
   *[other] { $count } aktywnego użytkownika
}
admin-users-disabled = { $count ->
    [one] { $count } wyłączony
    [few] { $count } wyłączeni
    [many] { $count } wyłączonych
   *[other] { $count } wyłączonego
}
admin-truncated = Dziennik audytu zawierał więcej zdarzeń, niż odczytano: te liczby to dolna granica.
admin-grace = Okres przejściowy
admin-grace-counts = W okresie: { $inside }, jeszcze niezalogowani: { $not_started }, po okresie: { $ended }.
admin-grace-until = { $user } do { $until }
admin-users = Użytkownicy
admin-search-users = Szukaj użytkowników
admin-search = Szukaj
admin-users-count = { $count ->
    [one] { $count } użytkownik
    [few] { $count } użytkownicy
    [many] { $count } użytkowników
   *[other] { $count } użytkownika
}
admin-users-matching = Pasujący do „{ $query }”: { $count ->
    [one] { $count } użytkownik
    [few] { $count } użytkownicy
    [many] { $count } użytkowników
   *[other] { $count } użytkownika
}
admin-page-of = strona { $page } z { $pages }
admin-you = Ty
admin-disabled = wyłączony
admin-active = aktywny
admin-locked-until = zablokowany do { $until }
admin-no-second-factor = bez drugiego składnika
admin-backup-codes = { $count ->
    [one] { $count } kod zapasowy
    [few] { $count } kody zapasowe
    [many] { $count } kodów zapasowych
   *[other] { $count } kodu zapasowego
}
admin-trusted-devices = { $count ->
    [one] { $count } zaufane urządzenie
    [few] { $count } zaufane urządzenia
    [many] { $count } zaufanych urządzeń
   *[other] { $count } zaufanego urządzenia
}
admin-last-sign-in = ostatnie logowanie { $when }
admin-never-signed-in = brak logowań
admin-groups-list = grupy: { $groups }
admin-pages-of-users = Strony listy użytkowników
admin-previous-page = Poprzednia strona
admin-next-page = Następna strona
admin-method-totp = aplikacja uwierzytelniająca
admin-method-email = kody e-mailem
admin-method-sms = kody SMS-em
admin-method-since = { $method } od { $since }
admin-user-title = Administracja: { $user }
admin-status = Stan
admin-your-account = (Twoje konto)
admin-groups = Grupy
admin-none = brak
admin-second-factors = Drugie składniki
admin-backup-codes-left = Pozostałe kody zapasowe
admin-locked-out = Blokada
admin-until = do { $until }
admin-no = nie
admin-last-sign-in-label = Ostatnie logowanie
admin-never = nigdy
admin-device-used = zaufane od { $created }, ostatnio użyte { $when } z adresu { $ip }
admin-actions = Akcje
admin-actions-confirm = Każda akcja najpierw prosi o potwierdzenie, podając nazwę użytkownika.
admin-action-lockout-clear = Zdejmij blokadę
admin-action-revoke-sessions = Zakończ wszystkie sesje
admin-action-mfa-reset = Zresetuj weryfikację dwuetapową
admin-action-disable = Wyłącz konto
admin-enable-again = Aby ponownie włączyć konto: { $command } albo usuń { $setting } z pliku użytkowników.
admin-confirm-title = Potwierdź: { $question }
admin-own-account = To Twoje własne konto.
admin-code-help = Akcje administracyjne wymagają kodu wpisanego nie dawniej niż { $fresh_for } temu. Błędny kod liczy się jako Twoje nieudane logowanie: po { $count } takich z rzędu Twoje konto zostanie na jakiś czas zablokowane.
admin-confirm-for = Potwierdź dla { $user }
admin-cancel = Anuluj
admin-question-mfa-reset = Zresetować weryfikację dwuetapową użytkownika { $user }?
admin-question-lockout-clear = Pozwolić użytkownikowi { $user } zalogować się już teraz?
admin-question-revoke-sessions = Zakończyć wszystkie sesje użytkownika { $user }?
admin-question-disable = Wyłączyć konto użytkownika { $user }?
admin-question-device-revoke = Zapomnieć to zaufane urządzenie użytkownika { $user }?
admin-consequence-mfa-reset = Aplikacja uwierzytelniająca, kody zapasowe, kody e-mailem i SMS-em oraz zaufane urządzenia zostaną zapomniane, a wszystkie sesje zakończone. Przy następnym logowaniu użytkownik skonfiguruje weryfikację dwuetapową od nowa.
admin-consequence-lockout-clear = Nieudane próby zostaną zapomniane, a blokada się skończy.
admin-consequence-revoke-sessions = Użytkownik zostanie wylogowany wszędzie, a jego zaufane urządzenia znów poproszą o drugi składnik.
admin-consequence-disable = Nikt nie zaloguje się na to konto, dopóki plik użytkowników tego nie zmieni, a wszystkie sesje zostaną zakończone.
admin-consequence-device-revoke = Ta przeglądarka poprosi o drugi składnik przy następnym logowaniu.
admin-done-mfa-reset = Weryfikacja dwuetapowa użytkownika { $user } została zresetowana.
admin-done-lockout-clear = Użytkownik { $user } może się znowu zalogować.
admin-done-revoke-sessions = Wszystkie sesje użytkownika { $user } zostały zakończone.
admin-done-disable = Konto użytkownika { $user } jest wyłączone.
admin-done-device-revoke = Urządzenie użytkownika { $user } zostało zapomniane.
admin-not-allowed = Niedozwolone
admin-navigation-required = Ta strona otwiera się tylko we własnej karcie przeglądarki.
admin-needs-mfa = Strona administracyjna wymaga weryfikacji dwuetapowej. Skonfiguruj ją na stronie swojego konta, a potem zaloguj się ponownie.
admin-no-such-user = Nie ma takiego użytkownika
admin-no-such-user-text = W pliku użytkowników nie ma użytkownika o tej nazwie.
admin-not-understood = Nie zrozumiano
admin-unknown-action = Ta akcja jest nieznana.
admin-code-first = Najpierw wpisz kod z aplikacji uwierzytelniającej.
admin-device-gone = To urządzenie zostało już zapomniane.
admin-events-title = Administracja: zdarzenia bezpieczeństwa
admin-filter-user = Użytkownik
admin-filter-admin = Przez administratora
admin-filter-kind = Rodzaj
admin-filter-outcome = Wynik
admin-filter-any = dowolny
admin-filter-since = Od
admin-filter-since-help = 1h, 7d lub 2026-11-23T08:00:00Z
admin-filter-show = Pokaż
admin-filter-not-applied = Filtr nie został zastosowany: { $why }.
admin-filter-not-understood = Nie zrozumiano filtra
admin-filter-bad-kind = nieznany rodzaj „{ $value }”
admin-filter-bad-outcome = nieznany wynik „{ $value }”
admin-filter-bad-since = od „{ $value }”: oczekiwano czasu trwania (1h, 7d) albo daty (2026-11-23T08:00:00Z)
admin-export = Eksportuj te zdarzenia:
admin-newest-first = Najnowsze najpierw
admin-event-from = z adresu { $ip }
admin-events-shown = Widać 100 najnowszych; eksport zawiera do 10 000.
admin-no-events = Brak pasujących zdarzeń.

## E-mail and text message with a code

mail-code-subject = Kod logowania do { $service }
mail-code-is = Twój kod logowania do { $service } to { $code }.
mail-code-your-code = Twój kod logowania to
mail-code-asked = Poproszono o niego, aby zalogować się jako { $user }, { $when } z adresu { $ip } ({ $browser }).
mail-code-valid = Działa jeden raz przez { $valid_for }.
mail-code-never-ask = Nikt z { $service } nigdy nie poprosi Cię o ten kod.
mail-code-not-you = Jeśli to nie Ty próbujesz się zalogować, nie przekazuj go nikomu i zmień hasło.
sms-code = { $code } to Twój kod logowania do { $service } dla { $user }. Działa jeden raz przez { $valid_for }. Nikt z { $service } nie poprosi Cię o niego.

## E-mail notices of changes to an account

notice-authenticator-enrolled = Na Twoim koncie skonfigurowano aplikację uwierzytelniającą
notice-authenticator-replaced = Twoja aplikacja uwierzytelniająca została zastąpiona
notice-email-codes-enrolled = Kody e-mailem zostały ustawione jako Twój drugi krok
notice-sms-codes-enrolled = Kody SMS-em zostały ustawione jako Twój drugi krok
notice-mfa-turned-off = Weryfikacja dwuetapowa została wyłączona
notice-backup-codes-regenerated = Utworzono nowe kody zapasowe; stare już nie działają
notice-device-trusted = Jedno urządzenie będzie pomijać drugi krok
notice-mfa-reset = Administrator zresetował Twoją weryfikację dwuetapową
notice-locked-out = Twoje konto zostało zablokowane po nieudanych logowaniach
notice-advice-locked-out = Jeśli to nie Ty, ktoś może próbować odgadnąć Twoje hasło: zmień je i powiadom administratora.
notice-advice-mfa-reset = Przy następnym logowaniu ponownie skonfigurujesz drugi składnik. Jeśli to nie była Twoja prośba, powiadom administratora.
notice-advice = Jeśli to Ty, nie musisz nic robić. Jeśli nie, natychmiast zmień hasło i powiadom administratora.
notice-happened = Dotyczy to Twojego konta { $user } w { $service }, { $when }.
notice-happened-from = Dotyczy to Twojego konta { $user } w { $service }, { $when }, z adresu { $ip } ({ $browser }).
notice-never-code = Ta wiadomość nigdy nie zawiera kodu ani hasła i nikt z { $service } nigdy Cię o nie nie poprosi.

## Passkeys and security keys

invalid-passkey = Nie udało się zweryfikować tego klucza dostępu. Spróbuj ponownie lub użyj innego sposobu.
mfa-use-passkey = Użyj klucza dostępu lub klucza bezpieczeństwa
account-passkeys-count = Klucze dostępu i klucze bezpieczeństwa: { $count }
account-passkeys = Klucze dostępu i klucze bezpieczeństwa
account-passkey-blocked = zablokowany: możliwa kopia
account-passkey-added-at = dodany { $when }
account-passkey-used-at = ostatnio użyty { $when }
account-passkey-blocked-why = Zablokowany klucz dostępu podpisał z niższym licznikiem niż wcześniej, tak jak zrobiłaby to kopia. Usuń go i dodaj ponownie, jeśli należy do Ciebie.
account-add-passkey = Dodaj klucz dostępu lub klucz bezpieczeństwa
account-remove-passkey = Usuń klucz dostępu „{ $name }”
account-new-passkey-name = Nazwa nowego klucza dostępu
account-new-passkey-placeholder = np. Laptop, YubiKey
account-confirm-with-passkey = Potwierdź kluczem dostępu
account-passkey-was-added = Dodano klucz dostępu „{ $name }”.
account-passkey-was-removed = Usunięto klucz dostępu „{ $name }”.
account-passkey-not-yours = Ten klucz dostępu nie należy do Ciebie albo został już usunięty.
account-passkey-registered-already = Ten klucz dostępu jest już zarejestrowany.
account-passkey-not-added = Nie udało się dodać klucza dostępu: jego odpowiedź nie przeszła weryfikacji albo krok trwał zbyt długo. Spróbuj ponownie.
passkey-add-title = Dodaj klucz dostępu
passkey-add-intro = Przeglądarka poprosi Cię o utworzenie klucza dostępu na tym urządzeniu, na telefonie lub na kluczu bezpieczeństwa.
passkey-name = Nazwa
passkey-create = Utwórz klucz dostępu
passkey-cancel = Anuluj
passkey-cancelled = Klucz dostępu nie został użyty: żądanie anulowano lub wygasło. Spróbuj ponownie.
passkey-registered = Ten klucz dostępu jest już zarejestrowany.
passkey-failed = Przeglądarka nie mogła użyć klucza dostępu. Spróbuj ponownie lub użyj innego sposobu.
passkey-unsupported = Ta przeglądarka nie obsługuje kluczy dostępu.
passkey-needs-script = Klucze dostępu wymagają JavaScriptu, który jest wyłączony w tej przeglądarce.
enroll-passkey-heading = Albo użyj klucza dostępu
enroll-passkey-intro = Odcisk palca, twarz lub blokada ekranu tego urządzenia albo telefonu, lub klucz bezpieczeństwa — zamiast wpisywania kodów.
enroll-passkey-name = Nazwa klucza dostępu
enroll-passkey-default-name = Klucz dostępu
enroll-passkey-button = Skonfiguruj klucz dostępu
enroll-passkey-failed = Nie udało się skonfigurować klucza dostępu: nie przeszedł weryfikacji albo krok trwał zbyt długo. Spróbuj ponownie.
login-with-passkey = Zaloguj się kluczem dostępu
admin-method-webauthn = klucze dostępu
admin-step-webauthn = Klucz dostępu
notice-passkey-added = Do Twojego konta dodano klucz dostępu lub klucz bezpieczeństwa
notice-passkey-removed = Z Twojego konta usunięto klucz dostępu lub klucz bezpieczeństwa
account-passkey-last = Ten klucz dostępu jest Twoim jedynym drugim składnikiem: najpierw skonfiguruj inny (aplikację uwierzytelniającą lub kolejny klucz dostępu) albo wyłącz weryfikację dwuetapową.

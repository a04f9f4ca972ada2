# Portcullis — italiano. Le stesse chiavi e variabili di locales/en/main.ftl; solo testo, niente markup.

## Shared by several pages

login-title = Accedi
common-password = Password
common-your-account = Il tuo account
common-sign-out = Esci
common-signed-in-as = Accesso effettuato come { $user }.
common-code-from-app = Codice dell’app di autenticazione
common-backup-code = Codice di backup
common-backup-code-instead = Usa invece un codice di backup
common-email-me-code = Inviami un codice via e-mail
common-text-me-code = Inviami un codice via SMS
common-trusted-devices = Dispositivi attendibili
common-no-trusted-devices = Nessun dispositivo attendibile.
common-forget-device = Dimentica questo dispositivo

duration-minutes = { $count ->
    [one] { $count } minuto
   *[other] { $count } minuti
}
duration-hours = { $count ->
    [one] { $count } ora
   *[other] { $count } ore
}
duration-days = { $count ->
    [one] { $count } giorno
   *[other] { $count } giorni
}

browser-on = { $browser } su { $system }
browser-any-on = un browser su { $system }
browser-unknown = un browser sconosciuto

## Sign-in page

login-username = Nome utente
login-submit = Accedi

## Refusals and errors

invalid-credentials = Nome utente o password errati.
invalid-enrol-code = Questo codice non è valido. Controlla l’ora del dispositivo e inserisci il codice che l’app mostra adesso.
invalid-code = Questo codice non è valido. Ogni codice vale una sola volta: attendi il successivo, controlla l’ora del dispositivo oppure usa un codice di backup.
invalid-backup-code = Questo codice di backup non è valido o è già stato usato. Ogni codice di backup vale una sola volta.
error-locked = Troppi tentativi non riusciti. Riprova tra { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minuti
}.
error-request-refused = Richiesta rifiutata
error-form-expired = Questo modulo è scaduto. Torna indietro, ricarica la pagina e riprova.
error-bad-request = Richiesta non valida
error-form-unreadable = Non è stato possibile leggere il modulo.
error-busy = Servizio occupato
error-busy-text = Troppi accessi contemporaneamente. Riprova tra un momento.
error-not-found = Pagina non trovata
error-not-found-text = A questo indirizzo non c’è nessuna pagina.
error-try-again = Riprova
error-unavailable = Qualcosa non ha funzionato da parte nostra. Riprova tra un momento.
error-stale = Riprova tra un momento
error-stale-text = Il servizio di accesso non riesce a confermare la tua sessione in questo momento. Non si perde nulla: ricarica questa pagina tra qualche secondo.
error-access-denied = Accesso negato
error-no-access = Non hai accesso a questa pagina.
error-too-many-requests = Troppe richieste
error-too-many-from-network = Troppi tentativi dalla tua rete. Riprova tra { $seconds ->
    [one] { $seconds } secondo
   *[other] { $seconds } secondi
}.
error-bad-gateway = Applicazione non raggiungibile
error-gateway-timeout = Tempo scaduto
error-app-unreachable = L’applicazione non è raggiungibile in questo momento. Riprova a breve.
error-app-timeout = L’applicazione ha impiegato troppo tempo a rispondere. Riprova a breve.
error-page-failed = Qualcosa non ha funzionato.

## Second-factor page

mfa-title = Verifica in due passaggi
mfa-remember = Ricorda questo dispositivo per { $duration }
mfa-verify = Verifica
mfa-use-app = Usa l’app di autenticazione
mfa-use-backup-code = Usa un codice di backup
mfa-verify-backup-code = Verifica il codice di backup
mfa-code-from-email = Codice dell’e-mail
mfa-code-from-sms = Codice dell’SMS
mfa-send-new-code = Invia un nuovo codice
mfa-code-sent = Abbiamo inviato un codice a { $to }. Vale una volta, per { $duration }.
mfa-too-many-codes = Sono stati inviati troppi codici. Riprova tra { $wait } oppure usa un altro metodo.
mfa-could-not-send = Al momento non siamo riusciti a inviare il codice. Riprova tra un momento oppure usa un altro metodo.

## Enrolment page

enroll-title = Configura la verifica in due passaggi
enroll-replacing = Configura la nuova app di autenticazione. Appena sarà attiva, i codici della vecchia app e i vecchi codici di backup smetteranno di funzionare.
enroll-needs-factor = Questo account richiede un secondo fattore.
enroll-step-scan = Scansiona questo codice QR con un’app di autenticazione oppure inserisci a mano la chiave qui sotto.
enroll-step-type = Inserisci il codice di { $digits } cifre mostrato dall’app.
enroll-qr-label = Codice QR per l’app di autenticazione
enroll-key = Chiave
enroll-setup-link = Su questo dispositivo? Usa il link di configurazione
enroll-open-app = Apri nell’app di autenticazione
enroll-code = Codice dell’app
enroll-activate = Attiva
enroll-or-sent = Oppure ricevi i codici
enroll-no-app = Nessuna app? A ogni accesso ti verrà inviato un codice.
enroll-cancel = Annulla: mantieni l’app attuale

## Backup codes, shown once

codes-title = I tuoi codici di backup
codes-heading = Salva i tuoi codici di backup
codes-intro = Ogni codice ti permette di accedere una volta se perdi l’app di autenticazione. Conservali in un posto sicuro, come un gestore di password o una copia stampata:
codes-shown-once = è l’unica volta in cui vengono mostrati.
codes-replaced = I codici di backup precedenti non funzionano più.
codes-continue = Li ho salvati — continua

## Account page

account-back-to-app = Torna all’applicazione
account-admin-link = Amministrazione: utenti e sicurezza
account-app-active = App di autenticazione: attiva
account-app-active-since = App di autenticazione: attiva dal { $since }
account-app-not-set-up = App di autenticazione: non configurata
account-codes-by-email = Codici via e-mail a { $to }
account-codes-by-sms = Codici via SMS al { $to }
account-backup-left = Codici di backup rimasti: { $count }
account-required = La tua organizzazione richiede la verifica in due passaggi per il tuo account.
account-device-last-used = ultimo utilizzo il { $when } da { $ip }
account-this-device = questo dispositivo
account-change-factor = Cambia il secondo fattore
account-what-to-do = Cosa vuoi fare
account-new-backup-codes = Ottieni nuovi codici di backup
account-new-app = Configura una nuova app di autenticazione
account-fresh-code = Ogni modifica richiede un codice recente.
account-continue = Continua
account-turn-off = Disattiva la verifica in due passaggi
account-turn-off-explained = Dopo, basterà la password per accedere. Tutte le altre sessioni e i dispositivi attendibili verranno chiusi.
account-prove-with = Conferma con
account-code = Codice
account-proof-email = Codice inviato via e-mail
account-proof-sms = Codice inviato via SMS
account-proof-backup = Un codice di backup
account-sign-out-everywhere = Esci ovunque
account-sign-out-everywhere-explained = Chiude tutte le tue sessioni, su tutti i dispositivi, e dimentica i tuoi dispositivi attendibili.
account-no-code = Inserisci il codice dell’app di autenticazione oppure un codice di backup.
account-wrong-password-or-code = Password o codice errati.
account-code-sent = Abbiamo inviato un codice a { $to }.
account-too-many-codes = Sono stati inviati troppi codici. Riprova più tardi oppure usa un altro metodo.
account-could-not-send = Al momento non siamo riusciti a inviare il codice. Riprova tra un momento.

## Admin pages

admin-nav = Amministrazione
admin-nav-overview = Panoramica e utenti
admin-events = Eventi di sicurezza
admin-fresh-until = Le azioni non richiedono un nuovo codice fino a { $until }.
admin-each-action-code = Ogni azione richiede un codice dell’app di autenticazione.
admin-overview-title = Amministrazione: panoramica e utenti
admin-overview-heading = Panoramica della sicurezza
admin-last-day = Ultime 24 ore
admin-last-week = Ultimi 7 giorni
admin-sign-ins-by-factor = Accessi per fattore
admin-sign-ins-day = Accessi per fattore, ultime 24 ore
admin-sign-ins-week = Accessi per fattore, ultimi 7 giorni
admin-step = Passaggio
admin-succeeded = Riusciti
admin-failed = Non riusciti
admin-locked = Bloccati
admin-no-sign-ins = Nessun accesso in questo periodo.
admin-step-password = Password
admin-step-trusted-device = Dispositivo attendibile
admin-step-totp = App di autenticazione
admin-step-backup-code = Codice di backup
admin-step-email = Codice via e-mail
admin-step-sms = Codice via SMS
admin-lockouts = Blocchi
admin-codes-sent-email = Codici inviati via e-mail
admin-codes-sent-sms = Codici inviati via SMS
admin-codes-failed = ({ $count ->
    [one] { $count } non riuscito
   *[other] { $count } non riusciti
})
admin-adoption = Verifica in due passaggi in uso
admin-enrolled-of = { $enrolled } su { $count ->
    [one] { $count } utente attivo
   *[other] { $count } utenti attivi
}
admin-users-disabled = { $count ->
    [one] { $count } disattivato
   *[other] { $count } disattivati
}
admin-truncated = Il registro di audit conteneva più eventi di quelli letti: questi numeri sono un minimo.
admin-grace = Periodo di tolleranza
admin-grace-counts = { $inside } ancora all’interno, { $not_started } non ancora entrati, { $ended } oltre il periodo.
admin-grace-until = { $user } fino a { $until }
admin-users = Utenti
admin-search-users = Cerca utenti
admin-search = Cerca
admin-users-count = { $count ->
    [one] { $count } utente
   *[other] { $count } utenti
}
admin-users-matching = { $count ->
    [one] { $count } utente corrisponde
   *[other] { $count } utenti corrispondono
} a «{ $query }»
admin-page-of = pagina { $page } di { $pages }
admin-you = tu
admin-disabled = disattivato
admin-active = attivo
admin-locked-until = bloccato fino a { $until }
admin-no-second-factor = nessun secondo fattore
admin-backup-codes = { $count ->
    [one] { $count } codice di backup
   *[other] { $count } codici di backup
}
admin-trusted-devices = { $count ->
    [one] { $count } dispositivo attendibile
   *[other] { $count } dispositivi attendibili
}
admin-last-sign-in = ultimo accesso { $when }
admin-never-signed-in = mai entrato
admin-groups-list = gruppi: { $groups }
admin-pages-of-users = Pagine dell’elenco utenti
admin-previous-page = Pagina precedente
admin-next-page = Pagina successiva
admin-method-totp = app di autenticazione
admin-method-email = codici via e-mail
admin-method-sms = codici via SMS
admin-method-since = { $method } dal { $since }
admin-user-title = Amministrazione: { $user }
admin-status = Stato
admin-your-account = (il tuo account)
admin-groups = Gruppi
admin-none = nessuno
admin-second-factors = Secondi fattori
admin-backup-codes-left = Codici di backup rimasti
admin-locked-out = Bloccato
admin-until = fino a { $until }
admin-no = no
admin-last-sign-in-label = Ultimo accesso
admin-never = mai
admin-device-used = attendibile dal { $created }, ultimo utilizzo il { $when } da { $ip }
admin-actions = Azioni
admin-actions-confirm = Ogni azione chiede prima una conferma che nomina l’utente.
admin-action-lockout-clear = Rimuovi il blocco
admin-action-revoke-sessions = Chiudi tutte le sessioni
admin-action-mfa-reset = Reimposta la verifica in due passaggi
admin-action-disable = Disattiva l’account
admin-enable-again = Per riattivare l’account: { $command }, oppure togli { $setting } dal file degli utenti.
admin-confirm-title = Conferma: { $question }
admin-own-account = Questo è il tuo account.
admin-code-help = Le azioni di amministrazione richiedono un codice inserito meno di { $fresh_for } fa. Un codice errato conta come un tuo accesso non riuscito: dopo { $count } di fila il tuo account viene bloccato per un po’.
admin-confirm-for = Conferma per { $user }
admin-cancel = Annulla
admin-question-mfa-reset = Reimpostare la verifica in due passaggi di { $user }?
admin-question-lockout-clear = Consentire subito a { $user } di accedere di nuovo?
admin-question-revoke-sessions = Chiudere tutte le sessioni di { $user }?
admin-question-disable = Disattivare l’account di { $user }?
admin-question-device-revoke = Dimenticare questo dispositivo attendibile di { $user }?
admin-consequence-mfa-reset = App di autenticazione, codici di backup, codici via e-mail e SMS e dispositivi attendibili vengono dimenticati, e tutte le sessioni vengono chiuse. La verifica in due passaggi andrà configurata di nuovo al prossimo accesso.
admin-consequence-lockout-clear = I tentativi non riusciti vengono dimenticati e il blocco termina.
admin-consequence-revoke-sessions = L’utente esce ovunque e i suoi dispositivi attendibili chiedono di nuovo un secondo fattore.
admin-consequence-disable = Nessuno può accedere con questo account finché il file degli utenti non dice altrimenti, e tutte le sessioni vengono chiuse.
admin-consequence-device-revoke = Quel browser chiederà un secondo fattore al prossimo accesso.
admin-done-mfa-reset = La verifica in due passaggi di { $user } è stata reimpostata.
admin-done-lockout-clear = { $user } può accedere di nuovo.
admin-done-revoke-sessions = Tutte le sessioni di { $user } sono state chiuse.
admin-done-disable = { $user } è disattivato.
admin-done-device-revoke = Il dispositivo di { $user } è stato dimenticato.
admin-not-allowed = Non consentito
admin-navigation-required = Questa pagina si apre solo in una scheda del browser tutta sua.
admin-needs-mfa = La pagina di amministrazione richiede la verifica in due passaggi. Configurala dalla pagina del tuo account, poi accedi di nuovo.
admin-no-such-user = Utente inesistente
admin-no-such-user-text = Nel file degli utenti non c’è nessun utente con questo nome.
admin-not-understood = Non compreso
admin-unknown-action = Questa azione non è conosciuta.
admin-code-first = Inserisci prima un codice dell’app di autenticazione.
admin-device-gone = Quel dispositivo era già stato dimenticato.
admin-events-title = Amministrazione: eventi di sicurezza
admin-filter-user = Utente
admin-filter-admin = Dall’amministratore
admin-filter-kind = Tipo
admin-filter-outcome = Esito
admin-filter-any = qualsiasi
admin-filter-since = Da
admin-filter-since-help = 1h, 7d o 2026-11-23T08:00:00Z
admin-filter-show = Mostra
admin-filter-not-applied = Filtro non applicato: { $why }.
admin-filter-not-understood = Filtro non compreso
admin-filter-bad-kind = tipo sconosciuto «{ $value }»
admin-filter-bad-outcome = esito sconosciuto «{ $value }»
admin-filter-bad-since = da «{ $value }»: è attesa una durata (1h, 7d) o una data (2026-11-23T08:00:00Z)
admin-export = Esporta questi eventi:
admin-newest-first = Prima i più recenti
admin-event-from = da { $ip }
admin-events-shown = Sono mostrati i 100 più recenti; l’esportazione ne contiene fino a 10.000.
admin-no-events = Nessun evento corrisponde.

## E-mail and text message with a code

mail-code-subject = Codice di accesso a { $service }
mail-code-is = Il tuo codice di accesso a { $service } è { $code }.
mail-code-your-code = Il tuo codice di accesso è
mail-code-asked = È stato richiesto per accedere come { $user }, il { $when } da { $ip } ({ $browser }).
mail-code-valid = Vale una volta, per { $valid_for }.
mail-code-never-ask = Nessuno di { $service } ti chiederà mai questo codice.
mail-code-not-you = Se non hai provato ad accedere, non darlo a nessuno e cambia la password.
sms-code = { $code } è il tuo codice di accesso a { $service } per { $user }. Vale una volta, per { $valid_for }. Nessuno di { $service } te lo chiederà.

## E-mail notices of changes to an account

notice-authenticator-enrolled = Sul tuo account è stata configurata un’app di autenticazione
notice-authenticator-replaced = La tua app di autenticazione è stata sostituita
notice-email-codes-enrolled = I codici via e-mail sono stati configurati come secondo passaggio
notice-sms-codes-enrolled = I codici via SMS sono stati configurati come secondo passaggio
notice-mfa-turned-off = La verifica in due passaggi è stata disattivata
notice-backup-codes-regenerated = Sono stati creati nuovi codici di backup; quelli vecchi non funzionano più
notice-device-trusted = Un dispositivo è stato impostato per saltare il secondo passaggio
notice-mfa-reset = Un amministratore ha reimpostato la tua verifica in due passaggi
notice-locked-out = Il tuo account è stato bloccato dopo accessi non riusciti
notice-advice-locked-out = Se non sei stato tu, qualcuno potrebbe cercare di indovinare la tua password: cambiala e avvisa il tuo amministratore.
notice-advice-mfa-reset = Al prossimo accesso configurerai di nuovo un secondo fattore. Se non l’hai chiesto tu, avvisa il tuo amministratore.
notice-advice = Se sei stato tu, non devi fare nulla. Altrimenti cambia subito la password e avvisa il tuo amministratore.
notice-happened = È successo al tuo account { $user } di { $service } il { $when }.
notice-happened-from = È successo al tuo account { $user } di { $service } il { $when }, da { $ip } ({ $browser }).
notice-never-code = Questo messaggio non contiene mai un codice o una password, e nessuno di { $service } te li chiederà mai.

## Passkeys and security keys

invalid-passkey = Non è stato possibile verificare questa passkey. Riprova oppure usa un altro metodo.
mfa-use-passkey = Usa la tua passkey o chiave di sicurezza
account-passkeys-count = Passkey e chiavi di sicurezza: { $count }
account-passkeys = Passkey e chiavi di sicurezza
account-passkey-blocked = bloccata: forse copiata
account-passkey-added-at = aggiunta il { $when }
account-passkey-used-at = ultimo uso il { $when }
account-passkey-blocked-why = Una passkey bloccata ha firmato con un contatore più basso di prima, come farebbe una copia. Rimuovila e aggiungila di nuovo se è tua.
account-add-passkey = Aggiungi una passkey o una chiave di sicurezza
account-remove-passkey = Rimuovi la passkey «{ $name }»
account-new-passkey-name = Nome di una nuova passkey
account-new-passkey-placeholder = ad es. Portatile, YubiKey
account-confirm-with-passkey = Conferma invece con una passkey
account-passkey-was-added = La passkey «{ $name }» è stata aggiunta.
account-passkey-was-removed = La passkey «{ $name }» è stata rimossa.
account-passkey-not-yours = Questa passkey non è tua, oppure è già stata rimossa.
account-passkey-registered-already = Questa passkey è già registrata.
account-passkey-not-added = Non è stato possibile aggiungere la passkey: la risposta non è stata verificata o il passaggio ha richiesto troppo tempo. Riprova.
passkey-add-title = Aggiungi una passkey
passkey-add-intro = Il browser ti chiederà di creare una passkey su questo dispositivo, sul tuo telefono o su una chiave di sicurezza.
passkey-name = Nome
passkey-create = Crea la passkey
passkey-cancel = Annulla
passkey-cancelled = La passkey non è stata usata: la richiesta è stata annullata o è scaduta. Riprova.
passkey-registered = Questa passkey è già registrata.
passkey-failed = Il browser non è riuscito a usare una passkey. Riprova oppure usa un altro metodo.
passkey-unsupported = Questo browser non può usare le passkey.
passkey-needs-script = Le passkey richiedono JavaScript, che in questo browser è disattivato.
enroll-passkey-heading = Oppure usa una passkey
enroll-passkey-intro = La tua impronta, il tuo volto o il blocco schermo di questo dispositivo o del tuo telefono, oppure una chiave di sicurezza, invece di digitare codici.
enroll-passkey-name = Nome della passkey
enroll-passkey-default-name = Passkey
enroll-passkey-button = Configura una passkey
enroll-passkey-failed = Non è stato possibile configurare la passkey: non è stata verificata o il passaggio ha richiesto troppo tempo. Riprova.
login-with-passkey = Accedi con una passkey
admin-method-webauthn = passkey
admin-step-webauthn = Passkey
notice-passkey-added = È stata aggiunta una passkey o una chiave di sicurezza al tuo account
notice-passkey-removed = È stata rimossa una passkey o una chiave di sicurezza dal tuo account
account-passkey-last = Questa passkey è il tuo unico secondo fattore: configurane prima un altro (un’app di autenticazione o un’altra passkey) oppure disattiva la verifica in due passaggi.

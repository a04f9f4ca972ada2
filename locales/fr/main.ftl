# Portcullis — français. Mêmes clés et variables que locales/en/main.ftl ; du texte seulement, sans balisage.

## Shared by several pages

login-title = Connexion
common-password = Mot de passe
common-your-account = Votre compte
common-sign-out = Se déconnecter
common-signed-in-as = Connecté en tant que { $user }.
common-code-from-app = Code de votre application d’authentification
common-backup-code = Code de secours
common-backup-code-instead = Utiliser plutôt un code de secours
common-email-me-code = Recevoir un code par e-mail
common-text-me-code = Recevoir un code par SMS
common-trusted-devices = Appareils de confiance
common-no-trusted-devices = Aucun appareil de confiance.
common-forget-device = Oublier cet appareil

duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
duration-hours = { $count ->
    [one] { $count } heure
   *[other] { $count } heures
}
duration-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}

browser-on = { $browser } sous { $system }
browser-any-on = un navigateur sous { $system }
browser-unknown = un navigateur inconnu

## Sign-in page

login-username = Nom d’utilisateur
login-submit = Se connecter

## Refusals and errors

invalid-credentials = Nom d’utilisateur ou mot de passe incorrect.
invalid-enrol-code = Ce code n’est pas valide. Vérifiez l’heure de votre appareil et saisissez le code que l’application affiche maintenant.
invalid-code = Ce code n’est pas valide. Un code ne sert qu’une fois : attendez le suivant, vérifiez l’heure de votre appareil ou utilisez un code de secours.
invalid-backup-code = Ce code de secours n’est pas valide ou a déjà été utilisé. Chaque code de secours ne sert qu’une fois.
error-locked = Trop de tentatives échouées. Réessayez dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
error-request-refused = Requête refusée
error-form-expired = Ce formulaire a expiré. Revenez en arrière, rechargez la page et réessayez.
error-bad-request = Requête incorrecte
error-form-unreadable = Le formulaire n’a pas pu être lu.
error-busy = Service occupé
error-busy-text = Trop de connexions en même temps. Réessayez dans un instant.
error-not-found = Page introuvable
error-not-found-text = Il n’y a aucune page à cette adresse.
error-try-again = Veuillez réessayer
error-unavailable = Un problème est survenu de notre côté. Réessayez dans un instant.
error-stale = Réessayez dans un instant
error-stale-text = Le service de connexion ne peut pas confirmer votre session pour le moment. Rien n’est perdu : rechargez cette page dans quelques secondes.
error-access-denied = Accès refusé
error-no-access = Vous n’avez pas accès à cette page.
error-too-many-requests = Trop de requêtes
error-too-many-from-network = Trop de tentatives depuis votre réseau. Réessayez dans { $seconds ->
    [one] { $seconds } seconde
   *[other] { $seconds } secondes
}.
error-bad-gateway = Application injoignable
error-gateway-timeout = Délai dépassé
error-app-unreachable = L’application est injoignable pour le moment. Veuillez réessayer sous peu.
error-app-timeout = L’application a mis trop de temps à répondre. Veuillez réessayer sous peu.
error-page-failed = Un problème est survenu.

## Second-factor page

mfa-title = Validation en deux étapes
mfa-remember = Mémoriser cet appareil pendant { $duration }
mfa-verify = Valider
mfa-use-app = Utiliser votre application d’authentification
mfa-use-backup-code = Utiliser un code de secours
mfa-verify-backup-code = Valider le code de secours
mfa-code-from-email = Code reçu par e-mail
mfa-code-from-sms = Code reçu par SMS
mfa-send-new-code = Envoyer un nouveau code
mfa-code-sent = Nous avons envoyé un code à { $to }. Il sert une fois, pendant { $duration }.
mfa-too-many-codes = Trop de codes ont été envoyés. Réessayez dans { $wait } ou choisissez un autre moyen.
mfa-could-not-send = Nous n’avons pas pu envoyer le code pour l’instant. Réessayez dans un instant ou choisissez un autre moyen.

## Enrolment page

enroll-title = Configurer la validation en deux étapes
enroll-replacing = Configurez votre nouvelle application d’authentification. Dès qu’elle sera active, les codes de l’ancienne application et vos anciens codes de secours ne fonctionneront plus.
enroll-needs-factor = Ce compte nécessite un second facteur.
enroll-step-scan = Scannez ce code QR avec une application d’authentification, ou saisissez la clé ci-dessous à la main.
enroll-step-type = Saisissez le code à { $digits } chiffres affiché par l’application.
enroll-qr-label = Code QR pour votre application d’authentification
enroll-key = Clé
enroll-setup-link = Sur cet appareil ? Utilisez le lien de configuration
enroll-open-app = Ouvrir dans l’application d’authentification
enroll-code = Code de l’application
enroll-activate = Activer
enroll-or-sent = Ou recevez des codes
enroll-no-app = Pas d’application ? À chaque connexion, un code vous est envoyé à la place.
enroll-cancel = Annuler : garder l’application actuelle

## Backup codes, shown once

codes-title = Vos codes de secours
codes-heading = Enregistrez vos codes de secours
codes-intro = Chaque code vous permet de vous connecter une fois si vous perdez votre application d’authentification. Conservez-les en lieu sûr, par exemple dans un gestionnaire de mots de passe ou sur papier :
codes-shown-once = ils ne seront affichés qu’une seule fois.
codes-replaced = Vos anciens codes de secours ne fonctionnent plus.
codes-continue = Je les ai enregistrés — continuer

## Account page

account-back-to-app = Retour à l’application
account-admin-link = Administration : utilisateurs et sécurité
account-app-active = Application d’authentification : active
account-app-active-since = Application d’authentification : active depuis le { $since }
account-app-not-set-up = Application d’authentification : non configurée
account-codes-by-email = Codes par e-mail à { $to }
account-codes-by-sms = Codes par SMS au { $to }
account-backup-left = Codes de secours restants : { $count }
account-required = Votre organisation exige la validation en deux étapes pour votre compte.
account-device-last-used = dernière utilisation le { $when } depuis { $ip }
account-this-device = cet appareil
account-change-factor = Changer votre second facteur
account-what-to-do = Que souhaitez-vous faire ?
account-new-backup-codes = Obtenir de nouveaux codes de secours
account-new-app = Configurer une nouvelle application d’authentification
account-fresh-code = Chaque modification demande un code récent.
account-continue = Continuer
account-turn-off = Désactiver la validation en deux étapes
account-turn-off-explained = Ensuite, votre mot de passe suffira pour vous connecter. Toutes les autres sessions et tous les appareils de confiance prendront fin.
account-prove-with = Confirmer avec
account-code = Code
account-proof-email = Code reçu par e-mail
account-proof-sms = Code reçu par SMS
account-proof-backup = Un code de secours
account-sign-out-everywhere = Se déconnecter partout
account-sign-out-everywhere-explained = Met fin à toutes vos sessions, sur tous vos appareils, et oublie vos appareils de confiance.
account-no-code = Saisissez le code de votre application d’authentification ou un code de secours.
account-wrong-password-or-code = Mot de passe ou code incorrect.
account-code-sent = Nous avons envoyé un code à { $to }.
account-too-many-codes = Trop de codes ont été envoyés. Réessayez plus tard ou choisissez un autre moyen.
account-could-not-send = Nous n’avons pas pu envoyer le code pour l’instant. Réessayez dans un instant.

## Admin pages

admin-nav = Administration
admin-nav-overview = Vue d’ensemble et utilisateurs
admin-events = Événements de sécurité
admin-fresh-until = Les actions ne demandent pas de nouveau code jusqu’au { $until }.
admin-each-action-code = Chaque action demande un code de votre application d’authentification.
admin-overview-title = Administration : vue d’ensemble et utilisateurs
admin-overview-heading = Vue d’ensemble de la sécurité
admin-last-day = Dernières 24 heures
admin-last-week = 7 derniers jours
admin-sign-ins-by-factor = Connexions par facteur
admin-sign-ins-day = Connexions par facteur, dernières 24 heures
admin-sign-ins-week = Connexions par facteur, 7 derniers jours
admin-step = Étape
admin-succeeded = Réussies
admin-failed = Échouées
admin-locked = Bloquées
admin-no-sign-ins = Aucune connexion sur cette période.
admin-step-password = Mot de passe
admin-step-trusted-device = Appareil de confiance
admin-step-totp = Application d’authentification
admin-step-backup-code = Code de secours
admin-step-email = Code par e-mail
admin-step-sms = Code par SMS
admin-lockouts = Blocages
admin-codes-sent-email = Codes envoyés par e-mail
admin-codes-sent-sms = Codes envoyés par SMS
admin-codes-failed = ({ $count ->
    [one] { $count } échec
   *[other] { $count } échecs
})
admin-adoption = Validation en deux étapes utilisée
admin-enrolled-of = { $enrolled } sur { $count ->
    [one] { $count } utilisateur actif
   *[other] { $count } utilisateurs actifs
}
admin-users-disabled = { $count ->
    [one] { $count } désactivé
   *[other] { $count } désactivés
}
admin-truncated = Le journal d’audit contenait plus d’événements que ceux lus : ces chiffres sont un minimum.
admin-grace = Période de grâce
admin-grace-counts = { $inside } encore dans la période, { $not_started } pas encore connectés, { $ended } hors période.
admin-grace-until = { $user } jusqu’au { $until }
admin-users = Utilisateurs
admin-search-users = Rechercher des utilisateurs
admin-search = Rechercher
admin-users-count = { $count ->
    [one] { $count } utilisateur
   *[other] { $count } utilisateurs
}
admin-users-matching = { $count ->
    [one] { $count } utilisateur correspond
   *[other] { $count } utilisateurs correspondent
} à « { $query } »
admin-page-of = page { $page } sur { $pages }
admin-you = vous
admin-disabled = désactivé
admin-active = actif
admin-locked-until = bloqué jusqu’au { $until }
admin-no-second-factor = aucun second facteur
admin-backup-codes = { $count ->
    [one] { $count } code de secours
   *[other] { $count } codes de secours
}
admin-trusted-devices = { $count ->
    [one] { $count } appareil de confiance
   *[other] { $count } appareils de confiance
}
admin-last-sign-in = dernière connexion le { $when }
admin-never-signed-in = jamais connecté
admin-groups-list = groupes : { $groups }
admin-pages-of-users = Pages de la liste des utilisateurs
admin-previous-page = Page précédente
admin-next-page = Page suivante
admin-method-totp = application d’authentification
admin-method-email = codes par e-mail
admin-method-sms = codes par SMS
admin-method-since = { $method } depuis le { $since }
admin-user-title = Administration : { $user }
admin-status = Statut
admin-your-account = (votre compte)
admin-groups = Groupes
admin-none = aucun
admin-second-factors = Seconds facteurs
admin-backup-codes-left = Codes de secours restants
admin-locked-out = Bloqué
admin-until = jusqu’au { $until }
admin-no = non
admin-last-sign-in-label = Dernière connexion
admin-never = jamais
admin-device-used = de confiance depuis le { $created }, dernière utilisation le { $when } depuis { $ip }
admin-actions = Actions
admin-actions-confirm = Chaque action demande d’abord une confirmation qui nomme l’utilisateur.
admin-action-lockout-clear = Lever le blocage
admin-action-revoke-sessions = Mettre fin à toutes les sessions
admin-action-mfa-reset = Réinitialiser la validation en deux étapes
admin-action-disable = Désactiver le compte
admin-enable-again = Pour réactiver le compte : { $command }, ou retirez { $setting } du fichier des utilisateurs.
admin-confirm-title = Confirmer : { $question }
admin-own-account = C’est votre propre compte.
admin-code-help = Les actions d’administration demandent un code saisi il y a moins de { $fresh_for }. Un code erroné compte comme une de vos connexions échouées : après { $count } d’affilée, votre compte est bloqué pendant un moment.
admin-confirm-for = Confirmer pour { $user }
admin-cancel = Annuler
admin-question-mfa-reset = Réinitialiser la validation en deux étapes de { $user } ?
admin-question-lockout-clear = Permettre à { $user } de se reconnecter dès maintenant ?
admin-question-revoke-sessions = Mettre fin à toutes les sessions de { $user } ?
admin-question-disable = Désactiver le compte de { $user } ?
admin-question-device-revoke = Oublier cet appareil de confiance de { $user } ?
admin-consequence-mfa-reset = Son application d’authentification, ses codes de secours, ses codes par e-mail et SMS et ses appareils de confiance sont oubliés, et toutes ses sessions prennent fin. La validation en deux étapes sera à configurer de nouveau à la prochaine connexion.
admin-consequence-lockout-clear = Les tentatives échouées sont oubliées et le blocage prend fin.
admin-consequence-revoke-sessions = L’utilisateur est déconnecté partout, et ses appareils de confiance demandent de nouveau un second facteur.
admin-consequence-disable = Personne ne peut se connecter avec ce compte tant que le fichier des utilisateurs ne le permet pas, et toutes ses sessions prennent fin.
admin-consequence-device-revoke = Ce navigateur demandera un second facteur à la prochaine connexion.
admin-done-mfa-reset = La validation en deux étapes de { $user } a été réinitialisée.
admin-done-lockout-clear = { $user } peut de nouveau se connecter.
admin-done-revoke-sessions = Toutes les sessions de { $user } ont pris fin.
admin-done-disable = { $user } est désactivé.
admin-done-device-revoke = L’appareil de { $user } a été oublié.
admin-not-allowed = Non autorisé
admin-navigation-required = Cette page ne s’ouvre que dans un onglet de navigateur dédié.
admin-needs-mfa = La page d’administration nécessite la validation en deux étapes. Configurez-la depuis la page de votre compte, puis reconnectez-vous.
admin-no-such-user = Utilisateur inconnu
admin-no-such-user-text = Aucun utilisateur de ce nom dans le fichier des utilisateurs.
admin-not-understood = Non compris
admin-unknown-action = Cette action est inconnue.
admin-code-first = Saisissez d’abord un code de votre application d’authentification.
admin-device-gone = Cet appareil a déjà été oublié.
admin-events-title = Administration : événements de sécurité
admin-filter-user = Utilisateur
admin-filter-admin = Par l’administrateur
admin-filter-kind = Type
admin-filter-outcome = Résultat
admin-filter-any = tous
admin-filter-since = Depuis
admin-filter-since-help = 1h, 7d ou 2026-11-23T08:00:00Z
admin-filter-show = Afficher
admin-filter-not-applied = Filtre non appliqué : { $why }.
admin-filter-not-understood = Filtre non compris
admin-filter-bad-kind = type inconnu « { $value } »
admin-filter-bad-outcome = résultat inconnu « { $value } »
admin-filter-bad-since = depuis « { $value } » : une durée (1h, 7d) ou une date (2026-11-23T08:00:00Z) est attendue
admin-export = Exporter ces événements :
admin-newest-first = Les plus récents d’abord
admin-event-from = depuis { $ip }
admin-events-shown = Les 100 plus récents sont affichés ; l’export en contient jusqu’à 10 000.
admin-no-events = Aucun événement ne correspond.

## E-mail and text message with a code

mail-code-subject = Code de connexion { $service }
mail-code-is = Votre code de connexion { $service } est { $code }.
mail-code-your-code = Votre code de connexion est
mail-code-asked = Il a été demandé pour se connecter en tant que { $user }, le { $when } depuis { $ip } ({ $browser }).
mail-code-valid = Il sert une fois, pendant { $valid_for }.
mail-code-never-ask = Personne de { $service } ne vous demandera jamais ce code.
mail-code-not-you = Si vous n’avez pas essayé de vous connecter, ne le communiquez à personne et changez votre mot de passe.
sms-code = { $code } est votre code de connexion { $service } pour { $user }. Il sert une fois, pendant { $valid_for }. Personne de { $service } ne vous le demandera.

## E-mail notices of changes to an account

notice-authenticator-enrolled = Une application d’authentification a été configurée pour votre compte
notice-authenticator-replaced = Votre application d’authentification a été remplacée
notice-email-codes-enrolled = Les codes par e-mail ont été configurés comme seconde étape
notice-sms-codes-enrolled = Les codes par SMS ont été configurés comme seconde étape
notice-mfa-turned-off = La validation en deux étapes a été désactivée
notice-backup-codes-regenerated = De nouveaux codes de secours ont été créés ; les anciens ne fonctionnent plus
notice-device-trusted = Un appareil a été configuré pour ignorer la seconde étape
notice-mfa-reset = Un administrateur a réinitialisé votre validation en deux étapes
notice-locked-out = Votre compte a été bloqué après des connexions échouées
notice-advice-locked-out = Si ce n’était pas vous, quelqu’un essaie peut-être de deviner votre mot de passe : changez-le et prévenez votre administrateur.
notice-advice-mfa-reset = Vous configurerez de nouveau un second facteur à votre prochaine connexion. Si vous ne l’avez pas demandé, prévenez votre administrateur.
notice-advice = Si c’était vous, vous n’avez rien à faire. Sinon, changez immédiatement votre mot de passe et prévenez votre administrateur.
notice-happened = Cela concerne votre compte { $service } { $user }, le { $when }.
notice-happened-from = Cela concerne votre compte { $service } { $user }, le { $when }, depuis { $ip } ({ $browser }).
notice-never-code = Ce message ne contient jamais de code ni de mot de passe, et personne de { $service } ne vous en demandera jamais.

## Passkeys and security keys

invalid-passkey = Cette clé d’accès n’a pas pu être vérifiée. Réessayez ou choisissez un autre moyen.
mfa-use-passkey = Utiliser votre clé d’accès ou clé de sécurité
account-passkeys-count = Clés d’accès et clés de sécurité : { $count }
account-passkeys = Clés d’accès et clés de sécurité
account-passkey-blocked = bloquée : peut-être copiée
account-passkey-added-at = ajoutée le { $when }
account-passkey-used-at = dernière utilisation le { $when }
account-passkey-blocked-why = Une clé d’accès bloquée a signé avec un compteur inférieur au précédent, comme le ferait une copie. Supprimez-la, puis ajoutez-la à nouveau si elle vous appartient.
account-add-passkey = Ajouter une clé d’accès ou une clé de sécurité
account-remove-passkey = Supprimer la clé d’accès « { $name } »
account-new-passkey-name = Nom d’une nouvelle clé d’accès
account-new-passkey-placeholder = p. ex. Ordinateur portable, YubiKey
account-confirm-with-passkey = Confirmer plutôt avec une clé d’accès
account-passkey-was-added = La clé d’accès « { $name } » a été ajoutée.
account-passkey-was-removed = La clé d’accès « { $name } » a été supprimée.
account-passkey-not-yours = Cette clé d’accès ne vous appartient pas, ou elle a déjà été supprimée.
account-passkey-registered-already = Cette clé d’accès est déjà enregistrée.
account-passkey-not-added = La clé d’accès n’a pas pu être ajoutée : sa réponse n’a pas été vérifiée, ou l’étape a pris trop de temps. Réessayez.
passkey-add-title = Ajouter une clé d’accès
passkey-add-intro = Votre navigateur vous proposera de créer une clé d’accès sur cet appareil, sur votre téléphone ou sur une clé de sécurité.
passkey-name = Nom
passkey-create = Créer la clé d’accès
passkey-cancel = Annuler
passkey-cancelled = La clé d’accès n’a pas été utilisée : la demande a été annulée ou a expiré. Réessayez.
passkey-registered = Cette clé d’accès est déjà enregistrée.
passkey-failed = Le navigateur n’a pas pu utiliser de clé d’accès. Réessayez ou choisissez un autre moyen.
passkey-unsupported = Ce navigateur ne prend pas en charge les clés d’accès.
passkey-needs-script = Les clés d’accès nécessitent JavaScript, qui est désactivé dans ce navigateur.
enroll-passkey-heading = Ou utilisez une clé d’accès
enroll-passkey-intro = Votre empreinte, votre visage ou le verrouillage d’écran de cet appareil ou de votre téléphone, ou une clé de sécurité, au lieu de saisir des codes.
enroll-passkey-name = Nom de la clé d’accès
enroll-passkey-default-name = Clé d’accès
enroll-passkey-button = Configurer une clé d’accès
enroll-passkey-failed = La clé d’accès n’a pas pu être configurée : elle n’a pas été vérifiée, ou l’étape a pris trop de temps. Réessayez.
login-with-passkey = Se connecter avec une clé d’accès
admin-method-webauthn = clés d’accès
admin-step-webauthn = Clé d’accès
notice-passkey-added = Une clé d’accès ou une clé de sécurité a été ajoutée à votre compte
notice-passkey-removed = Une clé d’accès ou une clé de sécurité a été supprimée de votre compte
account-passkey-last = Cette clé d’accès est votre seul second facteur : configurez-en d’abord un autre (une application d’authentification ou une autre clé d’accès), ou désactivez la validation en deux étapes.

# Portcullis — español. Las mismas claves y variables que locales/en/main.ftl; solo texto, sin marcado.

## Shared by several pages

login-title = Iniciar sesión
common-password = Contraseña
common-your-account = Tu cuenta
common-sign-out = Cerrar sesión
common-signed-in-as = Has iniciado sesión como { $user }.
common-code-from-app = Código de tu aplicación de autenticación
common-backup-code = Código de respaldo
common-backup-code-instead = Usar un código de respaldo
common-email-me-code = Enviarme un código por correo
common-text-me-code = Enviarme un código por SMS
common-trusted-devices = Dispositivos de confianza
common-no-trusted-devices = No hay dispositivos de confianza.
common-forget-device = Olvidar este dispositivo

duration-minutes = { $count ->
    [one] { $count } minuto
   *[other] { $count } minutos
}
duration-hours = { $count ->
    [one] { $count } hora
   *[other] { $count } horas
}
duration-days = { $count ->
    [one] { $count } día
   *[other] { $count } días
}

browser-on = { $browser } en { $system }
browser-any-on = un navegador en { $system }
browser-unknown = un navegador desconocido

## Sign-in page

login-username = Nombre de usuario
login-submit = Iniciar sesión

## Refusals and errors

invalid-credentials = El nombre de usuario o la contraseña no son correctos.
invalid-enrol-code = Ese código no es válido. Comprueba la hora de tu dispositivo e introduce el código que muestra ahora la aplicación.
invalid-code = Ese código no es válido. Cada código sirve una sola vez: espera al siguiente, comprueba la hora de tu dispositivo o usa un código de respaldo.
invalid-backup-code = Ese código de respaldo no es válido o ya se ha usado. Cada código de respaldo sirve una sola vez.
error-locked = Demasiados intentos fallidos. Vuelve a intentarlo dentro de { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}.
error-request-refused = Solicitud rechazada
error-form-expired = Este formulario ha caducado. Vuelve atrás, recarga la página e inténtalo de nuevo.
error-bad-request = Solicitud incorrecta
error-form-unreadable = No se ha podido leer el formulario.
error-busy = Servicio ocupado
error-busy-text = Hay demasiados inicios de sesión a la vez. Inténtalo de nuevo en un momento.
error-not-found = Página no encontrada
error-not-found-text = No hay ninguna página en esta dirección.
error-try-again = Inténtalo de nuevo
error-unavailable = Algo ha fallado por nuestra parte. Inténtalo de nuevo en un momento.
error-stale = Inténtalo de nuevo en un momento
error-stale-text = El servicio de inicio de sesión no puede confirmar tu sesión ahora mismo. No se pierde nada: recarga esta página dentro de unos segundos.
error-access-denied = Acceso denegado
error-no-access = No tienes acceso a esta página.
error-too-many-requests = Demasiadas solicitudes
error-too-many-from-network = Demasiados intentos desde tu red. Vuelve a intentarlo dentro de { $seconds ->
    [one] { $seconds } segundo
   *[other] { $seconds } segundos
}.
error-bad-gateway = Aplicación no disponible
error-gateway-timeout = Tiempo de espera agotado
error-app-unreachable = No se puede acceder a la aplicación en este momento. Inténtalo de nuevo en breve.
error-app-timeout = La aplicación ha tardado demasiado en responder. Inténtalo de nuevo en breve.
error-page-failed = Algo ha fallado.

## Second-factor page

mfa-title = Verificación en dos pasos
mfa-remember = Recordar este dispositivo durante { $duration }
mfa-verify = Verificar
mfa-use-app = Usar tu aplicación de autenticación
mfa-use-backup-code = Usar un código de respaldo
mfa-verify-backup-code = Verificar el código de respaldo
mfa-code-from-email = Código del correo electrónico
mfa-code-from-sms = Código del SMS
mfa-send-new-code = Enviar un código nuevo
mfa-code-sent = Hemos enviado un código a { $to }. Sirve una vez, durante { $duration }.
mfa-too-many-codes = Se han enviado demasiados códigos. Vuelve a intentarlo dentro de { $wait } o usa otro método.
mfa-could-not-send = No hemos podido enviar el código ahora mismo. Inténtalo de nuevo en un momento o usa otro método.

## Enrolment page

enroll-title = Configurar la verificación en dos pasos
enroll-replacing = Configura tu nueva aplicación de autenticación. En cuanto esté activa, los códigos de la aplicación anterior y tus códigos de respaldo anteriores dejarán de funcionar.
enroll-needs-factor = Esta cuenta necesita un segundo factor.
enroll-step-scan = Escanea este código QR con una aplicación de autenticación o introduce la clave de abajo a mano.
enroll-step-type = Introduce el código de { $digits } dígitos que muestra la aplicación.
enroll-qr-label = Código QR para tu aplicación de autenticación
enroll-key = Clave
enroll-setup-link = ¿En este dispositivo? Usa el enlace de configuración
enroll-open-app = Abrir en la aplicación de autenticación
enroll-code = Código de la aplicación
enroll-activate = Activar
enroll-or-sent = O recibe códigos
enroll-no-app = ¿No tienes aplicación? Cada vez que inicies sesión, te enviaremos un código.
enroll-cancel = Cancelar: mantener la aplicación actual

## Backup codes, shown once

codes-title = Tus códigos de respaldo
codes-heading = Guarda tus códigos de respaldo
codes-intro = Cada código te permite iniciar sesión una vez si pierdes tu aplicación de autenticación. Guárdalos en un lugar seguro, como un gestor de contraseñas o en papel:
codes-shown-once = esta es la única vez que se muestran.
codes-replaced = Tus códigos de respaldo anteriores ya no funcionan.
codes-continue = Ya los he guardado — continuar

## Account page

account-back-to-app = Volver a la aplicación
account-admin-link = Administración: usuarios y seguridad
account-app-active = Aplicación de autenticación: activa
account-app-active-since = Aplicación de autenticación: activa desde { $since }
account-app-not-set-up = Aplicación de autenticación: sin configurar
account-codes-by-email = Códigos por correo electrónico a { $to }
account-codes-by-sms = Códigos por SMS al { $to }
account-backup-left = Códigos de respaldo restantes: { $count }
account-required = Tu organización exige la verificación en dos pasos para tu cuenta.
account-device-last-used = último uso el { $when } desde { $ip }
account-this-device = este dispositivo
account-change-factor = Cambiar tu segundo factor
account-what-to-do = Qué quieres hacer
account-new-backup-codes = Obtener códigos de respaldo nuevos
account-new-app = Configurar una nueva aplicación de autenticación
account-fresh-code = Cada cambio necesita un código reciente.
account-continue = Continuar
account-turn-off = Desactivar la verificación en dos pasos
account-turn-off-explained = Después, bastará con tu contraseña para iniciar sesión. Se cerrarán todas las demás sesiones y se olvidarán los dispositivos de confianza.
account-prove-with = Confirmarlo con
account-code = Código
account-proof-email = Código enviado por correo electrónico
account-proof-sms = Código enviado por SMS
account-proof-backup = Un código de respaldo
account-sign-out-everywhere = Cerrar sesión en todas partes
account-sign-out-everywhere-explained = Cierra todas tus sesiones en todos los dispositivos y olvida tus dispositivos de confianza.
account-no-code = Introduce el código de tu aplicación de autenticación o un código de respaldo.
account-wrong-password-or-code = La contraseña o el código no son correctos.
account-code-sent = Hemos enviado un código a { $to }.
account-too-many-codes = Se han enviado demasiados códigos. Inténtalo más tarde o usa otro método.
account-could-not-send = No hemos podido enviar el código ahora mismo. Inténtalo de nuevo en un momento.

## Admin pages

admin-nav = Administración
admin-nav-overview = Resumen y usuarios
admin-events = Eventos de seguridad
admin-fresh-until = Las acciones no piden un código nuevo hasta { $until }.
admin-each-action-code = Cada acción pide un código de tu aplicación de autenticación.
admin-overview-title = Administración: resumen y usuarios
admin-overview-heading = Resumen de seguridad
admin-last-day = Últimas 24 horas
admin-last-week = Últimos 7 días
admin-sign-ins-by-factor = Inicios de sesión por factor
admin-sign-ins-day = Inicios de sesión por factor, últimas 24 horas
admin-sign-ins-week = Inicios de sesión por factor, últimos 7 días
admin-step = Paso
admin-succeeded = Correctos
admin-failed = Fallidos
admin-locked = Bloqueados
admin-no-sign-ins = No hay inicios de sesión en este periodo.
admin-step-password = Contraseña
admin-step-trusted-device = Dispositivo de confianza
admin-step-totp = Aplicación de autenticación
admin-step-backup-code = Código de respaldo
admin-step-email = Código por correo
admin-step-sms = Código por SMS
admin-lockouts = Bloqueos
admin-codes-sent-email = Códigos enviados por correo
admin-codes-sent-sms = Códigos enviados por SMS
admin-codes-failed = ({ $count ->
    [one] { $count } fallido
   *[other] { $count } fallidos
})
admin-adoption = Verificación en dos pasos en uso
admin-enrolled-of = { $enrolled } de { $count ->
    [one] { $count } usuario activo
   *[other] { $count } usuarios activos
}
admin-users-disabled = { $count ->
    [one] { $count } desactivado
   *[other] { $count } desactivados
}
admin-truncated = El registro de auditoría tenía más eventos de los que se leyeron: estas cifras son un mínimo.
admin-grace = Periodo de gracia
admin-grace-counts = { $inside } todavía dentro, { $not_started } sin iniciar sesión aún, { $ended } fuera del periodo.
admin-grace-until = { $user } hasta { $until }
admin-users = Usuarios
admin-search-users = Buscar usuarios
admin-search = Buscar
admin-users-count = { $count ->
    [one] { $count } usuario
   *[other] { $count } usuarios
}
admin-users-matching = { $count ->
    [one] { $count } usuario coincide
   *[other] { $count } usuarios coinciden
} con «{ $query }»
admin-page-of = página { $page } de { $pages }
admin-you = tú
admin-disabled = desactivado
admin-active = activo
admin-locked-until = bloqueado hasta { $until }
admin-no-second-factor = sin segundo factor
admin-backup-codes = { $count ->
    [one] { $count } código de respaldo
   *[other] { $count } códigos de respaldo
}
admin-trusted-devices = { $count ->
    [one] { $count } dispositivo de confianza
   *[other] { $count } dispositivos de confianza
}
admin-last-sign-in = último inicio de sesión { $when }
admin-never-signed-in = nunca ha iniciado sesión
admin-groups-list = grupos: { $groups }
admin-pages-of-users = Páginas de la lista de usuarios
admin-previous-page = Página anterior
admin-next-page = Página siguiente
admin-method-totp = aplicación de autenticación
admin-method-email = códigos por correo
admin-method-sms = códigos por SMS
admin-method-since = { $method } desde { $since }
admin-user-title = Administración: { $user }
admin-status = Estado
admin-your-account = (tu cuenta)
admin-groups = Grupos
admin-none = ninguno
admin-second-factors = Segundos factores
admin-backup-codes-left = Códigos de respaldo restantes
admin-locked-out = Bloqueado
admin-until = hasta { $until }
admin-no = no
admin-last-sign-in-label = Último inicio de sesión
admin-never = nunca
admin-device-used = de confianza desde { $created }, último uso { $when } desde { $ip }
admin-actions = Acciones
admin-actions-confirm = Cada acción pide antes una confirmación que nombra al usuario.
admin-action-lockout-clear = Quitar el bloqueo
admin-action-revoke-sessions = Cerrar todas las sesiones
admin-action-mfa-reset = Restablecer la verificación en dos pasos
admin-action-disable = Desactivar la cuenta
admin-enable-again = Para volver a activar la cuenta: { $command }, o quita { $setting } del archivo de usuarios.
admin-confirm-title = Confirmar: { $question }
admin-own-account = Esta es tu propia cuenta.
admin-code-help = Las acciones de administración necesitan un código introducido hace menos de { $fresh_for }. Un código incorrecto cuenta como un inicio de sesión fallido tuyo: tras { $count } seguidos, tu cuenta se bloquea durante un tiempo.
admin-confirm-for = Confirmar para { $user }
admin-cancel = Cancelar
admin-question-mfa-reset = ¿Restablecer la verificación en dos pasos de { $user }?
admin-question-lockout-clear = ¿Permitir que { $user } vuelva a iniciar sesión ya?
admin-question-revoke-sessions = ¿Cerrar todas las sesiones de { $user }?
admin-question-disable = ¿Desactivar la cuenta de { $user }?
admin-question-device-revoke = ¿Olvidar este dispositivo de confianza de { $user }?
admin-consequence-mfa-reset = Se olvidan su aplicación de autenticación, sus códigos de respaldo, sus códigos por correo y SMS y sus dispositivos de confianza, y se cierran todas sus sesiones. Volverá a configurar la verificación en dos pasos en su próximo inicio de sesión.
admin-consequence-lockout-clear = Se olvidan los intentos fallidos y termina el bloqueo.
admin-consequence-revoke-sessions = Se cierra su sesión en todas partes y sus dispositivos de confianza vuelven a pedir un segundo factor.
admin-consequence-disable = Nadie podrá iniciar sesión con esta cuenta hasta que el archivo de usuarios diga lo contrario, y se cierran todas sus sesiones.
admin-consequence-device-revoke = Ese navegador pedirá un segundo factor en su próximo inicio de sesión.
admin-done-mfa-reset = Se ha restablecido la verificación en dos pasos de { $user }.
admin-done-lockout-clear = { $user } puede volver a iniciar sesión.
admin-done-revoke-sessions = Se han cerrado todas las sesiones de { $user }.
admin-done-disable = { $user } está desactivado.
admin-done-device-revoke = Se ha olvidado el dispositivo de { $user }.
admin-not-allowed = No permitido
admin-navigation-required = Esta página solo se abre en una pestaña propia del navegador.
admin-needs-mfa = La página de administración requiere la verificación en dos pasos. Configúrala desde la página de tu cuenta y vuelve a iniciar sesión.
admin-no-such-user = Usuario desconocido
admin-no-such-user-text = No hay ningún usuario con ese nombre en el archivo de usuarios.
admin-not-understood = No se ha entendido
admin-unknown-action = Esa acción no se conoce.
admin-code-first = Introduce primero un código de tu aplicación de autenticación.
admin-device-gone = Ese dispositivo ya se había olvidado.
admin-events-title = Administración: eventos de seguridad
admin-filter-user = Usuario
admin-filter-admin = Por el administrador
admin-filter-kind = Tipo
admin-filter-outcome = Resultado
admin-filter-any = cualquiera
admin-filter-since = Desde
admin-filter-since-help = 1h, 7d o 2026-11-23T08:00:00Z
admin-filter-show = Mostrar
admin-filter-not-applied = Filtro no aplicado: { $why }.
admin-filter-not-understood = Filtro no entendido
admin-filter-bad-kind = tipo desconocido «{ $value }»
admin-filter-bad-outcome = resultado desconocido «{ $value }»
admin-filter-bad-since = desde «{ $value }»: se esperaba una duración (1h, 7d) o una fecha (2026-11-23T08:00:00Z)
admin-export = Exportar estos eventos:
admin-newest-first = Los más recientes primero
admin-event-from = desde { $ip }
admin-events-shown = Se muestran los 100 más recientes; la exportación incluye hasta 10 000.
admin-no-events = Ningún evento coincide.

## E-mail and text message with a code

mail-code-subject = Código de inicio de sesión de { $service }
mail-code-is = Tu código de inicio de sesión de { $service } es { $code }.
mail-code-your-code = Tu código de inicio de sesión es
mail-code-asked = Se pidió para iniciar sesión como { $user }, el { $when } desde { $ip } ({ $browser }).
mail-code-valid = Sirve una vez, durante { $valid_for }.
mail-code-never-ask = Nadie de { $service } te pedirá nunca este código.
mail-code-not-you = Si no has intentado iniciar sesión, no se lo des a nadie y cambia tu contraseña.
sms-code = { $code } es tu código de inicio de sesión de { $service } para { $user }. Sirve una vez, durante { $valid_for }. Nadie de { $service } te lo pedirá.

## E-mail notices of changes to an account

notice-authenticator-enrolled = Se ha configurado una aplicación de autenticación en tu cuenta
notice-authenticator-replaced = Se ha sustituido tu aplicación de autenticación
notice-email-codes-enrolled = Se han configurado los códigos por correo como tu segundo paso
notice-sms-codes-enrolled = Se han configurado los códigos por SMS como tu segundo paso
notice-mfa-turned-off = Se ha desactivado la verificación en dos pasos
notice-backup-codes-regenerated = Se han creado códigos de respaldo nuevos; los anteriores ya no funcionan
notice-device-trusted = Se ha configurado un dispositivo para omitir el segundo paso
notice-mfa-reset = Un administrador ha restablecido tu verificación en dos pasos
notice-locked-out = Tu cuenta se ha bloqueado tras varios inicios de sesión fallidos
notice-advice-locked-out = Si no has sido tú, puede que alguien esté intentando adivinar tu contraseña: cámbiala y avisa a tu administrador.
notice-advice-mfa-reset = Volverás a configurar un segundo factor en tu próximo inicio de sesión. Si no lo has pedido tú, avisa a tu administrador.
notice-advice = Si has sido tú, no tienes que hacer nada. Si no, cambia tu contraseña de inmediato y avisa a tu administrador.
notice-happened = Esto ha ocurrido en tu cuenta { $user } de { $service } el { $when }.
notice-happened-from = Esto ha ocurrido en tu cuenta { $user } de { $service } el { $when }, desde { $ip } ({ $browser }).
notice-never-code = Este mensaje nunca contiene un código ni una contraseña, y nadie de { $service } te pedirá nunca ninguno.

## Passkeys and security keys

invalid-passkey = No se pudo verificar esa llave de acceso. Inténtalo de nuevo o usa otro método.
mfa-use-passkey = Usar tu llave de acceso o llave de seguridad
account-passkeys-count = Llaves de acceso y llaves de seguridad: { $count }
account-passkeys = Llaves de acceso y llaves de seguridad
account-passkey-blocked = bloqueada: posiblemente copiada
account-passkey-added-at = añadida el { $when }
account-passkey-used-at = último uso el { $when }
account-passkey-blocked-why = Una llave de acceso bloqueada firmó con un contador menor que antes, como lo haría una copia. Elimínala y vuelve a añadirla si es tuya.
account-add-passkey = Añadir una llave de acceso o llave de seguridad
account-remove-passkey = Eliminar la llave de acceso «{ $name }»
account-new-passkey-name = Nombre de una nueva llave de acceso
account-new-passkey-placeholder = p. ej. Portátil, YubiKey
account-confirm-with-passkey = Confirmar con una llave de acceso
account-passkey-was-added = Se añadió la llave de acceso «{ $name }».
account-passkey-was-removed = Se eliminó la llave de acceso «{ $name }».
account-passkey-not-yours = Esa llave de acceso no es tuya o ya se eliminó.
account-passkey-registered-already = Esa llave de acceso ya está registrada.
account-passkey-not-added = No se pudo añadir la llave de acceso: su respuesta no se verificó o el paso tardó demasiado. Inténtalo de nuevo.
passkey-add-title = Añadir una llave de acceso
passkey-add-intro = Tu navegador te pedirá crear una llave de acceso en este dispositivo, en tu teléfono o en una llave de seguridad.
passkey-name = Nombre
passkey-create = Crear la llave de acceso
passkey-cancel = Cancelar
passkey-cancelled = No se usó la llave de acceso: la solicitud se canceló o caducó. Inténtalo de nuevo.
passkey-registered = Esta llave de acceso ya está registrada.
passkey-failed = El navegador no pudo usar una llave de acceso. Inténtalo de nuevo o usa otro método.
passkey-unsupported = Este navegador no puede usar llaves de acceso.
passkey-needs-script = Las llaves de acceso necesitan JavaScript, que está desactivado en este navegador.
enroll-passkey-heading = O usa una llave de acceso
enroll-passkey-intro = Tu huella, tu cara o el bloqueo de pantalla de este dispositivo o de tu teléfono, o una llave de seguridad, en lugar de escribir códigos.
enroll-passkey-name = Nombre de la llave de acceso
enroll-passkey-default-name = Llave de acceso
enroll-passkey-button = Configurar una llave de acceso
enroll-passkey-failed = No se pudo configurar la llave de acceso: no se verificó o el paso tardó demasiado. Inténtalo de nuevo.
login-with-passkey = Iniciar sesión con una llave de acceso
admin-method-webauthn = llaves de acceso
admin-step-webauthn = Llave de acceso
notice-passkey-added = Se añadió una llave de acceso o llave de seguridad a tu cuenta
notice-passkey-removed = Se eliminó una llave de acceso o llave de seguridad de tu cuenta
account-passkey-last = Esta llave de acceso es tu único segundo factor: configura primero otro (una aplicación de autenticación u otra llave de acceso) o desactiva la verificación en dos pasos.

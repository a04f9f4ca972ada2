# Portcullis — português (do Brasil). As mesmas chaves e variáveis de locales/en/main.ftl; só texto, sem marcação.

## Shared by several pages

login-title = Entrar
common-password = Senha
common-your-account = Sua conta
common-sign-out = Sair
common-signed-in-as = Conectado como { $user }.
common-code-from-app = Código do seu aplicativo autenticador
common-backup-code = Código de backup
common-backup-code-instead = Usar um código de backup
common-email-me-code = Receber um código por e-mail
common-text-me-code = Receber um código por SMS
common-trusted-devices = Dispositivos confiáveis
common-no-trusted-devices = Nenhum dispositivo confiável.
common-forget-device = Esquecer este dispositivo

duration-minutes = { $count ->
    [one] { $count } minuto
   *[other] { $count } minutos
}
duration-hours = { $count ->
    [one] { $count } hora
   *[other] { $count } horas
}
duration-days = { $count ->
    [one] { $count } dia
   *[other] { $count } dias
}

browser-on = { $browser } no { $system }
browser-any-on = um navegador no { $system }
browser-unknown = um navegador desconhecido

## Sign-in page

login-username = Nome de usuário
login-submit = Entrar

## Refusals and errors

invalid-credentials = Nome de usuário ou senha incorretos.
invalid-enrol-code = Esse código não é válido. Confira o horário do seu dispositivo e digite o código que o aplicativo mostra agora.
invalid-code = Esse código não é válido. Cada código vale uma vez: espere o próximo, confira o horário do seu dispositivo ou use um código de backup.
invalid-backup-code = Esse código de backup não é válido ou já foi usado. Cada código de backup vale uma vez.
error-locked = Muitas tentativas sem sucesso. Tente de novo em { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}.
error-request-refused = Solicitação recusada
error-form-expired = Este formulário expirou. Volte, recarregue a página e tente de novo.
error-bad-request = Solicitação inválida
error-form-unreadable = Não foi possível ler o formulário.
error-busy = Serviço ocupado
error-busy-text = Muitos acessos ao mesmo tempo. Tente de novo em instantes.
error-not-found = Página não encontrada
error-not-found-text = Não há nenhuma página neste endereço.
error-try-again = Tente de novo
error-unavailable = Algo deu errado do nosso lado. Tente de novo em instantes.
error-stale = Tente de novo em instantes
error-stale-text = O serviço de acesso não consegue confirmar sua sessão agora. Nada foi perdido: recarregue esta página em alguns segundos.
error-access-denied = Acesso negado
error-no-access = Você não tem acesso a esta página.
error-too-many-requests = Muitas solicitações
error-too-many-from-network = Muitas tentativas a partir da sua rede. Tente de novo em { $seconds ->
    [one] { $seconds } segundo
   *[other] { $seconds } segundos
}.
error-bad-gateway = Aplicativo indisponível
error-gateway-timeout = Tempo esgotado
error-app-unreachable = O aplicativo não está acessível no momento. Tente de novo em breve.
error-app-timeout = O aplicativo demorou demais para responder. Tente de novo em breve.
error-page-failed = Algo deu errado.

## Second-factor page

mfa-title = Verificação em duas etapas
mfa-remember = Lembrar este dispositivo por { $duration }
mfa-verify = Verificar
mfa-use-app = Usar seu aplicativo autenticador
mfa-use-backup-code = Usar um código de backup
mfa-verify-backup-code = Verificar código de backup
mfa-code-from-email = Código do e-mail
mfa-code-from-sms = Código do SMS
mfa-send-new-code = Enviar um novo código
mfa-code-sent = Enviamos um código para { $to }. Ele vale uma vez, por { $duration }.
mfa-too-many-codes = Foram enviados códigos demais. Tente de novo em { $wait } ou use outra forma.
mfa-could-not-send = Não conseguimos enviar o código agora. Tente de novo em instantes ou use outra forma.

## Enrolment page

enroll-title = Configurar a verificação em duas etapas
enroll-replacing = Configure seu novo aplicativo autenticador. Assim que ele estiver ativo, os códigos do aplicativo antigo e seus códigos de backup antigos deixam de funcionar.
enroll-needs-factor = Esta conta precisa de um segundo fator.
enroll-step-scan = Leia este QR code com um aplicativo autenticador ou digite a chave abaixo manualmente.
enroll-step-type = Digite o código de { $digits } dígitos que o aplicativo mostra.
enroll-qr-label = QR code para o seu aplicativo autenticador
enroll-key = Chave
enroll-setup-link = Neste dispositivo? Use o link de configuração
enroll-open-app = Abrir no aplicativo autenticador
enroll-code = Código do aplicativo
enroll-activate = Ativar
enroll-or-sent = Ou receba códigos
enroll-no-app = Não tem aplicativo? Cada vez que você entrar, enviaremos um código.
enroll-cancel = Cancelar: manter o aplicativo atual

## Backup codes, shown once

codes-title = Seus códigos de backup
codes-heading = Guarde seus códigos de backup
codes-intro = Cada código permite entrar uma vez se você perder seu autenticador. Guarde-os em um lugar seguro, como um gerenciador de senhas ou uma cópia impressa:
codes-shown-once = esta é a única vez que eles aparecem.
codes-replaced = Seus códigos de backup anteriores não funcionam mais.
codes-continue = Já guardei — continuar

## Account page

account-back-to-app = Voltar ao aplicativo
account-admin-link = Administração: usuários e segurança
account-app-active = Aplicativo autenticador: ativo
account-app-active-since = Aplicativo autenticador: ativo desde { $since }
account-app-not-set-up = Aplicativo autenticador: não configurado
account-codes-by-email = Códigos por e-mail para { $to }
account-codes-by-sms = Códigos por SMS para { $to }
account-backup-left = Códigos de backup restantes: { $count }
account-required = Sua organização exige a verificação em duas etapas para sua conta.
account-device-last-used = último uso em { $when } a partir de { $ip }
account-this-device = este dispositivo
account-change-factor = Alterar seu segundo fator
account-what-to-do = O que fazer
account-new-backup-codes = Gerar novos códigos de backup
account-new-app = Configurar um novo aplicativo autenticador
account-fresh-code = Cada alteração exige um código recente.
account-continue = Continuar
account-turn-off = Desativar a verificação em duas etapas
account-turn-off-explained = Depois disso, sua senha sozinha permite entrar. Todas as outras sessões e dispositivos confiáveis são encerrados.
account-prove-with = Confirmar com
account-code = Código
account-proof-email = Código enviado por e-mail
account-proof-sms = Código enviado por SMS
account-proof-backup = Um código de backup
account-sign-out-everywhere = Sair de todos os lugares
account-sign-out-everywhere-explained = Encerra todas as suas sessões, em todos os dispositivos, e esquece seus dispositivos confiáveis.
account-no-code = Digite o código do seu aplicativo autenticador ou um código de backup.
account-wrong-password-or-code = Senha ou código incorretos.
account-code-sent = Enviamos um código para { $to }.
account-too-many-codes = Foram enviados códigos demais. Tente de novo mais tarde ou use outra forma.
account-could-not-send = Não conseguimos enviar o código agora. Tente de novo em instantes.

## Admin pages

admin-nav = Administração
admin-nav-overview = Visão geral e usuários
admin-events = Eventos de segurança
admin-fresh-until = As ações não pedem um novo código até { $until }.
admin-each-action-code = Cada ação pede um código do seu aplicativo autenticador.
admin-overview-title = Administração: visão geral e usuários
admin-overview-heading = Visão geral de segurança
admin-last-day = Últimas 24 horas
admin-last-week = Últimos 7 dias
admin-sign-ins-by-factor = Acessos por fator
admin-sign-ins-day = Acessos por fator, últimas 24 horas
admin-sign-ins-week = Acessos por fator, últimos 7 dias
admin-step = Etapa
admin-succeeded = Com sucesso
admin-failed = Sem sucesso
admin-locked = Bloqueados
admin-no-sign-ins = Nenhum acesso neste período.
admin-step-password = Senha
admin-step-trusted-device = Dispositivo confiável
admin-step-totp = Aplicativo autenticador
admin-step-backup-code = Código de backup
admin-step-email = Código por e-mail
admin-step-sms = Código por SMS
admin-lockouts = Bloqueios
admin-codes-sent-email = Códigos enviados por e-mail
admin-codes-sent-sms = Códigos enviados por SMS
admin-codes-failed = ({ $count ->
    [one] { $count } falhou
   *[other] { $count } falharam
})
admin-adoption = Verificação em duas etapas em uso
admin-enrolled-of = { $enrolled } de { $count ->
    [one] { $count } usuário ativo
   *[other] { $count } usuários ativos
}
admin-users-disabled = { $count ->
    [one] { $count } desativado
   *[other] { $count } desativados
}
admin-truncated = O registro de auditoria tinha mais eventos do que os lidos: estes números são um mínimo.
admin-grace = Período de carência
admin-grace-counts = { $inside } ainda dentro dele, { $not_started } ainda sem acesso, { $ended } fora dele.
admin-grace-until = { $user } até { $until }
admin-users = Usuários
admin-search-users = Pesquisar usuários
admin-search = Pesquisar
admin-users-count = { $count ->
    [one] { $count } usuário
   *[other] { $count } usuários
}
admin-users-matching = { $count ->
    [one] { $count } usuário corresponde
   *[other] { $count } usuários correspondem
} a “{ $query }”
admin-page-of = página { $page } de { $pages }
admin-you = você
admin-disabled = desativado
admin-active = ativo
admin-locked-until = bloqueado até { $until }
admin-no-second-factor = sem segundo fator
admin-backup-codes = { $count ->
    [one] { $count } código de backup
   *[other] { $count } códigos de backup
}
admin-trusted-devices = { $count ->
    [one] { $count } dispositivo confiável
   *[other] { $count } dispositivos confiáveis
}
admin-last-sign-in = último acesso { $when }
admin-never-signed-in = nunca acessou
admin-groups-list = grupos: { $groups }
admin-pages-of-users = Páginas da lista de usuários
admin-previous-page = Página anterior
admin-next-page = Próxima página
admin-method-totp = aplicativo autenticador
admin-method-email = códigos por e-mail
admin-method-sms = códigos por SMS
admin-method-since = { $method } desde { $since }
admin-user-title = Administração: { $user }
admin-status = Situação
admin-your-account = (sua conta)
admin-groups = Grupos
admin-none = nenhum
admin-second-factors = Segundos fatores
admin-backup-codes-left = Códigos de backup restantes
admin-locked-out = Bloqueado
admin-until = até { $until }
admin-no = não
admin-last-sign-in-label = Último acesso
admin-never = nunca
admin-device-used = confiável desde { $created }, último uso em { $when } a partir de { $ip }
admin-actions = Ações
admin-actions-confirm = Cada ação pede antes uma confirmação que nomeia o usuário.
admin-action-lockout-clear = Remover o bloqueio
admin-action-revoke-sessions = Encerrar todas as sessões
admin-action-mfa-reset = Redefinir a verificação em duas etapas
admin-action-disable = Desativar a conta
admin-enable-again = Para reativar a conta: { $command }, ou remova { $setting } do arquivo de usuários.
admin-confirm-title = Confirmar: { $question }
admin-own-account = Esta é a sua própria conta.
admin-code-help = As ações de administração exigem um código digitado há menos de { $fresh_for }. Um código errado conta como um acesso sem sucesso seu: depois de { $count } seguidos, sua conta fica bloqueada por um tempo.
admin-confirm-for = Confirmar para { $user }
admin-cancel = Cancelar
admin-question-mfa-reset = Redefinir a verificação em duas etapas de { $user }?
admin-question-lockout-clear = Deixar { $user } entrar de novo agora?
admin-question-revoke-sessions = Encerrar todas as sessões de { $user }?
admin-question-disable = Desativar a conta de { $user }?
admin-question-device-revoke = Esquecer este dispositivo confiável de { $user }?
admin-consequence-mfa-reset = O aplicativo autenticador, os códigos de backup, os códigos por e-mail e SMS e os dispositivos confiáveis são esquecidos, e todas as sessões são encerradas. A verificação em duas etapas será configurada de novo no próximo acesso.
admin-consequence-lockout-clear = As tentativas sem sucesso são esquecidas e o bloqueio termina.
admin-consequence-revoke-sessions = O usuário sai de todos os lugares, e seus dispositivos confiáveis voltam a pedir um segundo fator.
admin-consequence-disable = Ninguém consegue entrar com esta conta até que o arquivo de usuários diga o contrário, e todas as sessões são encerradas.
admin-consequence-device-revoke = Esse navegador vai pedir um segundo fator no próximo acesso.
admin-done-mfa-reset = A verificação em duas etapas de { $user } foi redefinida.
admin-done-lockout-clear = { $user } pode entrar de novo.
admin-done-revoke-sessions = Todas as sessões de { $user } foram encerradas.
admin-done-disable = { $user } está desativado.
admin-done-device-revoke = O dispositivo de { $user } foi esquecido.
admin-not-allowed = Não permitido
admin-navigation-required = Esta página só abre em uma aba própria do navegador.
admin-needs-mfa = A página de administração exige a verificação em duas etapas. Configure-a na página da sua conta e entre de novo.
admin-no-such-user = Usuário inexistente
admin-no-such-user-text = Não há nenhum usuário com esse nome no arquivo de usuários.
admin-not-understood = Não entendido
admin-unknown-action = Essa ação não é conhecida.
admin-code-first = Primeiro digite um código do seu aplicativo autenticador.
admin-device-gone = Esse dispositivo já foi esquecido.
admin-events-title = Administração: eventos de segurança
admin-filter-user = Usuário
admin-filter-admin = Pelo administrador
admin-filter-kind = Tipo
admin-filter-outcome = Resultado
admin-filter-any = qualquer
admin-filter-since = Desde
admin-filter-since-help = 1h, 7d ou 2026-11-23T08:00:00Z
admin-filter-show = Mostrar
admin-filter-not-applied = Filtro não aplicado: { $why }.
admin-filter-not-understood = Filtro não entendido
admin-filter-bad-kind = tipo desconhecido “{ $value }”
admin-filter-bad-outcome = resultado desconhecido “{ $value }”
admin-filter-bad-since = desde “{ $value }”: era esperada uma duração (1h, 7d) ou uma data (2026-11-23T08:00:00Z)
admin-export = Exportar estes eventos:
admin-newest-first = Mais recentes primeiro
admin-event-from = a partir de { $ip }
admin-events-shown = Os 100 mais recentes são mostrados; a exportação inclui até 10.000.
admin-no-events = Nenhum evento corresponde.

## E-mail and text message with a code

mail-code-subject = Código de acesso de { $service }
mail-code-is = Seu código de acesso de { $service } é { $code }.
mail-code-your-code = Seu código de acesso é
mail-code-asked = Ele foi pedido para entrar como { $user }, em { $when } a partir de { $ip } ({ $browser }).
mail-code-valid = Ele vale uma vez, por { $valid_for }.
mail-code-never-ask = Ninguém de { $service } vai pedir este código a você.
mail-code-not-you = Se não foi você que tentou entrar, não o passe para ninguém e altere sua senha.
sms-code = { $code } é seu código de acesso de { $service } para { $user }. Vale uma vez, por { $valid_for }. Ninguém de { $service } vai pedi-lo a você.

## E-mail notices of changes to an account

notice-authenticator-enrolled = Um aplicativo autenticador foi configurado na sua conta
notice-authenticator-replaced = Seu aplicativo autenticador foi substituído
notice-email-codes-enrolled = Os códigos por e-mail foram configurados como sua segunda etapa
notice-sms-codes-enrolled = Os códigos por SMS foram configurados como sua segunda etapa
notice-mfa-turned-off = A verificação em duas etapas foi desativada
notice-backup-codes-regenerated = Novos códigos de backup foram gerados; os antigos não funcionam mais
notice-device-trusted = Um dispositivo foi configurado para pular a segunda etapa
notice-mfa-reset = Um administrador redefiniu sua verificação em duas etapas
notice-locked-out = Sua conta foi bloqueada após acessos sem sucesso
notice-advice-locked-out = Se não foi você, talvez alguém esteja tentando adivinhar sua senha: altere-a e avise seu administrador.
notice-advice-mfa-reset = Você vai configurar um segundo fator de novo no seu próximo acesso. Se você não pediu isso, avise seu administrador.
notice-advice = Se foi você, não há nada a fazer. Se não foi, altere sua senha imediatamente e avise seu administrador.
notice-happened = Isso aconteceu na sua conta { $user } de { $service } em { $when }.
notice-happened-from = Isso aconteceu na sua conta { $user } de { $service } em { $when }, a partir de { $ip } ({ $browser }).
notice-never-code = Esta mensagem nunca contém um código ou uma senha, e ninguém de { $service } vai pedir isso a você.

## Passkeys and security keys

invalid-passkey = Não foi possível verificar essa chave de acesso. Tente de novo ou use outra forma.
mfa-use-passkey = Usar sua chave de acesso ou chave de segurança
account-passkeys-count = Chaves de acesso e chaves de segurança: { $count }
account-passkeys = Chaves de acesso e chaves de segurança
account-passkey-blocked = bloqueada: possivelmente copiada
account-passkey-added-at = adicionada em { $when }
account-passkey-used-at = último uso em { $when }
account-passkey-blocked-why = Uma chave de acesso bloqueada assinou com um contador menor que antes, como faria uma cópia. Remova-a e adicione-a de novo se ela for sua.
account-add-passkey = Adicionar uma chave de acesso ou chave de segurança
account-remove-passkey = Remover a chave de acesso “{ $name }”
account-new-passkey-name = Nome de uma nova chave de acesso
account-new-passkey-placeholder = ex.: Notebook, YubiKey
account-confirm-with-passkey = Confirmar com uma chave de acesso
account-passkey-was-added = A chave de acesso “{ $name }” foi adicionada.
account-passkey-was-removed = A chave de acesso “{ $name }” foi removida.
account-passkey-not-yours = Essa chave de acesso não é sua ou já foi removida.
account-passkey-registered-already = Essa chave de acesso já está registrada.
account-passkey-not-added = Não foi possível adicionar a chave de acesso: a resposta não foi verificada ou a etapa demorou demais. Tente de novo.
passkey-add-title = Adicionar uma chave de acesso
passkey-add-intro = Seu navegador vai pedir para criar uma chave de acesso neste dispositivo, no seu celular ou em uma chave de segurança.
passkey-name = Nome
passkey-create = Criar a chave de acesso
passkey-cancel = Cancelar
passkey-cancelled = A chave de acesso não foi usada: a solicitação foi cancelada ou expirou. Tente de novo.
passkey-registered = Esta chave de acesso já está registrada.
passkey-failed = O navegador não conseguiu usar uma chave de acesso. Tente de novo ou use outra forma.
passkey-unsupported = Este navegador não consegue usar chaves de acesso.
passkey-needs-script = Chaves de acesso precisam de JavaScript, que está desativado neste navegador.
enroll-passkey-heading = Ou use uma chave de acesso
enroll-passkey-intro = Sua digital, seu rosto ou o bloqueio de tela deste dispositivo ou do seu celular, ou uma chave de segurança, em vez de digitar códigos.
enroll-passkey-name = Nome da chave de acesso
enroll-passkey-default-name = Chave de acesso
enroll-passkey-button = Configurar uma chave de acesso
enroll-passkey-failed = Não foi possível configurar a chave de acesso: ela não foi verificada ou a etapa demorou demais. Tente de novo.
login-with-passkey = Entrar com uma chave de acesso
admin-method-webauthn = chaves de acesso
admin-step-webauthn = Chave de acesso
notice-passkey-added = Uma chave de acesso ou chave de segurança foi adicionada à sua conta
notice-passkey-removed = Uma chave de acesso ou chave de segurança foi removida da sua conta
account-passkey-last = Esta chave de acesso é o seu único segundo fator: configure outro primeiro (um aplicativo autenticador ou outra chave de acesso) ou desative a verificação em duas etapas.

# Portcullis — 简体中文。键和变量与 locales/en/main.ftl 相同；只有文字，没有标记。

## Shared by several pages

login-title = 登录
common-password = 密码
common-your-account = 你的账号
common-sign-out = 退出登录
common-signed-in-as = 已以 { $user } 身份登录。
common-code-from-app = 身份验证器应用中的验证码
common-backup-code = 备用验证码
common-backup-code-instead = 改用备用验证码
common-email-me-code = 通过电子邮件发送验证码
common-text-me-code = 通过短信发送验证码
common-trusted-devices = 受信任的设备
common-no-trusted-devices = 没有受信任的设备。
common-forget-device = 忘记此设备

duration-minutes = { $count } 分钟
duration-hours = { $count } 小时
duration-days = { $count } 天

browser-on = { $system } 上的 { $browser }
browser-any-on = { $system } 上的浏览器
browser-unknown = 未知浏览器

## Sign-in page

login-username = 用户名
login-submit = 登录

## Refusals and errors

invalid-credentials = 用户名或密码错误。
invalid-enrol-code = 该验证码无效。请检查设备上的时间，然后输入应用当前显示的验证码。
invalid-code = 该验证码无效。每个验证码只能使用一次：请等待下一个验证码、检查设备上的时间，或使用备用验证码。
invalid-backup-code = 该备用验证码无效或已被使用。每个备用验证码只能使用一次。
error-locked = 失败次数过多。请在 { $minutes } 分钟后重试。
error-request-refused = 请求被拒绝
error-form-expired = 此表单已过期。请返回，刷新页面后重试。
error-bad-request = 请求无效
error-form-unreadable = 无法读取表单。
error-busy = 服务繁忙
error-busy-text = 同时登录的人数过多。请稍后重试。
error-not-found = 未找到页面
error-not-found-text = 此地址没有页面。
error-try-again = 请重试
error-unavailable = 我们这边出了问题。请稍后重试。
error-stale = 请稍后重试
error-stale-text = 登录服务暂时无法确认你的会话。不会丢失任何内容：请在几秒钟后刷新此页面。
error-access-denied = 拒绝访问
error-no-access = 你无权访问此页面。
error-too-many-requests = 请求过多
error-too-many-from-network = 来自你所在网络的尝试次数过多。请在 { $seconds } 秒后重试。
error-bad-gateway = 无法连接到应用
error-gateway-timeout = 连接超时
error-app-unreachable = 应用暂时无法访问。请稍后重试。
error-app-timeout = 应用响应时间过长。请稍后重试。
error-page-failed = 出现问题。

## Second-factor page

mfa-title = 两步验证
mfa-remember = 在此设备上记住我 { $duration }
mfa-verify = 验证
mfa-use-app = 使用身份验证器应用
mfa-use-backup-code = 使用备用验证码
mfa-verify-backup-code = 验证备用验证码
mfa-code-from-email = 电子邮件中的验证码
mfa-code-from-sms = 短信中的验证码
mfa-send-new-code = 发送新的验证码
mfa-code-sent = 我们已将验证码发送至 { $to }。它只能使用一次，有效期为 { $duration }。
mfa-too-many-codes = 发送的验证码过多。请在 { $wait }后重试，或改用其他方式。
mfa-could-not-send = 暂时无法发送验证码。请稍后重试，或改用其他方式。

## Enrolment page

enroll-title = 设置两步验证
enroll-replacing = 请设置新的身份验证器应用。它启用后，旧应用的验证码和你之前的备用验证码将失效。
enroll-needs-factor = 此账号需要第二重验证。
enroll-step-scan = 用身份验证器应用扫描此二维码，或手动输入下方的密钥。
enroll-step-type = 输入应用显示的 { $digits } 位验证码。
enroll-qr-label = 身份验证器应用的二维码
enroll-key = 密钥
enroll-setup-link = 在此设备上设置？使用设置链接
enroll-open-app = 在身份验证器应用中打开
enroll-code = 应用中的验证码
enroll-activate = 启用
enroll-or-sent = 或者接收验证码
enroll-no-app = 没有应用？每次登录时，我们会改为向你发送验证码。
enroll-cancel = 取消：保留当前应用

## Backup codes, shown once

codes-title = 你的备用验证码
codes-heading = 保存你的备用验证码
codes-intro = 如果你丢失了身份验证器，每个验证码可让你登录一次。请将它们保存在安全的地方，例如密码管理器或打印件中：
codes-shown-once = 它们只会显示这一次。
codes-replaced = 你之前的备用验证码已失效。
codes-continue = 我已保存 — 继续

## Account page

account-back-to-app = 返回应用
account-admin-link = 管理：用户与安全
account-app-active = 身份验证器应用：已启用
account-app-active-since = 身份验证器应用：自 { $since } 起启用
account-app-not-set-up = 身份验证器应用：未设置
account-codes-by-email = 通过电子邮件向 { $to } 发送验证码
account-codes-by-sms = 通过短信向 { $to } 发送验证码
account-backup-left = 剩余备用验证码：{ $count }
account-required = 你的组织要求你的账号使用两步验证。
account-device-last-used = 上次使用：{ $when }，来自 { $ip }
account-this-device = 此设备
account-change-factor = 更改第二重验证
account-what-to-do = 要执行的操作
account-new-backup-codes = 获取新的备用验证码
account-new-app = 设置新的身份验证器应用
account-fresh-code = 每次更改都需要一个新的验证码。
account-continue = 继续
account-turn-off = 关闭两步验证
account-turn-off-explained = 关闭后，仅凭密码即可登录。所有其他会话和受信任的设备都将结束。
account-prove-with = 验证方式
account-code = 验证码
account-proof-email = 通过电子邮件发送的验证码
account-proof-sms = 通过短信发送的验证码
account-proof-backup = 备用验证码
account-sign-out-everywhere = 在所有设备上退出登录
account-sign-out-everywhere-explained = 结束你在所有设备上的所有会话，并忘记你的受信任设备。
account-no-code = 请输入身份验证器应用中的验证码或备用验证码。
account-wrong-password-or-code = 密码或验证码错误。
account-code-sent = 我们已将验证码发送至 { $to }。
account-too-many-codes = 发送的验证码过多。请稍后重试，或改用其他方式。
account-could-not-send = 暂时无法发送验证码。请稍后重试。

## Admin pages

admin-nav = 管理
admin-nav-overview = 概览与用户
admin-events = 安全事件
admin-fresh-until = 在 { $until } 之前，操作无需新的验证码。
admin-each-action-code = 每项操作都需要身份验证器应用中的验证码。
admin-overview-title = 管理：概览与用户
admin-overview-heading = 安全概览
admin-last-day = 过去 24 小时
admin-last-week = 过去 7 天
admin-sign-ins-by-factor = 按验证方式统计的登录
admin-sign-ins-day = 按验证方式统计的登录（过去 24 小时）
admin-sign-ins-week = 按验证方式统计的登录（过去 7 天）
admin-step = 步骤
admin-succeeded = 成功
admin-failed = 失败
admin-locked = 锁定
admin-no-sign-ins = 此期间没有登录。
admin-step-password = 密码
admin-step-trusted-device = 受信任的设备
admin-step-totp = 身份验证器应用
admin-step-backup-code = 备用验证码
admin-step-email = 电子邮件验证码
admin-step-sms = 短信验证码
admin-lockouts = 锁定次数
admin-codes-sent-email = 通过电子邮件发送的验证码
admin-codes-sent-sms = 通过短信发送的验证码
admin-codes-failed = （{ $count } 次失败）
admin-adoption = 两步验证使用率
admin-enrolled-of = { $count } 位活跃用户中的 { $enrolled } 位
admin-users-disabled = { $count } 位已停用
admin-truncated = 审计日志中的事件多于已读取的事件：这些数字是下限。
admin-grace = 宽限期
admin-grace-counts = { $inside } 位仍在宽限期内，{ $not_started } 位尚未登录，{ $ended } 位已过宽限期。
admin-grace-until = { $user }，至 { $until }
admin-users = 用户
admin-search-users = 搜索用户
admin-search = 搜索
admin-users-count = { $count } 位用户
admin-users-matching = 与“{ $query }”匹配的用户：{ $count } 位
admin-page-of = 第 { $page } 页，共 { $pages } 页
admin-you = 你
admin-disabled = 已停用
admin-active = 活跃
admin-locked-until = 锁定至 { $until }
admin-no-second-factor = 无第二重验证
admin-backup-codes = { $count } 个备用验证码
admin-trusted-devices = { $count } 台受信任的设备
admin-last-sign-in = 上次登录 { $when }
admin-never-signed-in = 从未登录
admin-groups-list = 组：{ $groups }
admin-pages-of-users = 用户列表分页
admin-previous-page = 上一页
admin-next-page = 下一页
admin-method-totp = 身份验证器应用
admin-method-email = 电子邮件验证码
admin-method-sms = 短信验证码
admin-method-since = { $method }（自 { $since } 起）
admin-user-title = 管理：{ $user }
admin-status = 状态
admin-your-account = （你的账号）
admin-groups = 组
admin-none = 无
admin-second-factors = 第二重验证
admin-backup-codes-left = 剩余备用验证码
admin-locked-out = 锁定
admin-until = 至 { $until }
admin-no = 否
admin-last-sign-in-label = 上次登录
admin-never = 从未
admin-device-used = { $created } 起受信任，上次使用：{ $when }，来自 { $ip }
admin-actions = 操作
admin-actions-confirm = 每项操作都会先要求确认，并注明用户名。
admin-action-lockout-clear = 解除锁定
admin-action-revoke-sessions = 结束所有会话
admin-action-mfa-reset = 重置两步验证
admin-action-disable = 停用账号
admin-enable-again = 要重新启用该账号：运行 { $command }，或从用户文件中删除 { $setting }。
admin-confirm-title = 确认：{ $question }
admin-own-account = 这是你自己的账号。
admin-code-help = 管理操作需要在 { $fresh_for }内输入过的验证码。输错的验证码会计为你本人的一次登录失败：连续失败 { $count } 次后，你的账号将被锁定一段时间。
admin-confirm-for = 为 { $user } 确认
admin-cancel = 取消
admin-question-mfa-reset = 要重置 { $user } 的两步验证吗？
admin-question-lockout-clear = 要让 { $user } 现在就能重新登录吗？
admin-question-revoke-sessions = 要结束 { $user } 的所有会话吗？
admin-question-disable = 要停用 { $user } 的账号吗？
admin-question-device-revoke = 要忘记 { $user } 的这台受信任设备吗？
admin-consequence-mfa-reset = 该用户的身份验证器应用、备用验证码、电子邮件和短信验证码以及受信任的设备都将被清除，其所有会话都将结束。该用户下次登录时需重新设置两步验证。
admin-consequence-lockout-clear = 失败记录将被清除，锁定随之解除。
admin-consequence-revoke-sessions = 该用户将在所有设备上退出登录，其受信任的设备将再次要求第二重验证。
admin-consequence-disable = 在用户文件另行更改之前，任何人都无法以该用户身份登录，其所有会话都将结束。
admin-consequence-device-revoke = 该浏览器下次登录时将要求第二重验证。
admin-done-mfa-reset = 已重置 { $user } 的两步验证。
admin-done-lockout-clear = { $user } 可以重新登录了。
admin-done-revoke-sessions = 已结束 { $user } 的所有会话。
admin-done-disable = 已停用 { $user }。
admin-done-device-revoke = 已忘记 { $user } 的设备。
admin-not-allowed = 不允许
admin-navigation-required = 此页面只能在单独的浏览器标签页中打开。
admin-needs-mfa = 管理页面需要两步验证。请在你的账号页面中设置，然后重新登录。
admin-no-such-user = 用户不存在
admin-no-such-user-text = 用户文件中没有该名称的用户。
admin-not-understood = 无法理解
admin-unknown-action = 未知的操作。
admin-code-first = 请先输入身份验证器应用中的验证码。
admin-device-gone = 该设备已被忘记。
admin-events-title = 管理：安全事件
admin-filter-user = 用户
admin-filter-admin = 操作的管理员
admin-filter-kind = 类型
admin-filter-outcome = 结果
admin-filter-any = 全部
admin-filter-since = 起始
admin-filter-since-help = 1h、7d 或 2026-11-23T08:00:00Z
admin-filter-show = 显示
admin-filter-not-applied = 未应用筛选条件：{ $why }。
admin-filter-not-understood = 无法理解筛选条件
admin-filter-bad-kind = 未知类型“{ $value }”
admin-filter-bad-outcome = 未知结果“{ $value }”
admin-filter-bad-since = 起始“{ $value }”：应为时长（1h、7d）或时间（2026-11-23T08:00:00Z）
admin-export = 导出这些事件：
admin-newest-first = 最新的在前
admin-event-from = 来自 { $ip }
admin-events-shown = 显示最新的 100 条；导出最多包含 10,000 条。
admin-no-events = 没有匹配的事件。

## E-mail and text message with a code

mail-code-subject = { $service } 登录验证码
mail-code-is = 你的 { $service } 登录验证码是 { $code }。
mail-code-your-code = 你的登录验证码是
mail-code-asked = 该验证码是 { $when } 从 { $ip }（{ $browser }）为以 { $user } 身份登录而申请的。
mail-code-valid = 它只能使用一次，有效期为 { $valid_for }。
mail-code-never-ask = { $service } 的任何人都不会向你索要此验证码。
mail-code-not-you = 如果你没有尝试登录，请不要把它告诉任何人，并修改你的密码。
sms-code = { $code } 是 { $user } 的 { $service } 登录验证码，只能使用一次，有效期为 { $valid_for }。{ $service } 的任何人都不会向你索要它。

## E-mail notices of changes to an account

notice-authenticator-enrolled = 你的账号已设置身份验证器应用
notice-authenticator-replaced = 你的身份验证器应用已被替换
notice-email-codes-enrolled = 电子邮件验证码已设置为你的第二步验证
notice-sms-codes-enrolled = 短信验证码已设置为你的第二步验证
notice-mfa-turned-off = 两步验证已关闭
notice-backup-codes-regenerated = 已生成新的备用验证码，旧的验证码已失效
notice-device-trusted = 有一台设备已设置为跳过第二步验证
notice-mfa-reset = 管理员重置了你的两步验证
notice-locked-out = 由于登录失败，你的账号已被锁定
notice-advice-locked-out = 如果不是你本人，可能有人正在尝试猜测你的密码：请修改密码并告知管理员。
notice-advice-mfa-reset = 你下次登录时需要重新设置第二重验证。如果这不是你申请的，请告知管理员。
notice-advice = 如果是你本人操作，则无需任何处理。如果不是，请立即修改密码并告知管理员。
notice-happened = 此操作发生在你的 { $service } 账号 { $user } 上，时间为 { $when }。
notice-happened-from = 此操作发生在你的 { $service } 账号 { $user } 上，时间为 { $when }，来自 { $ip }（{ $browser }）。
notice-never-code = 此邮件绝不会包含验证码或密码，{ $service } 的任何人也绝不会向你索要它们。

## Passkeys and security keys

invalid-passkey = 无法验证该通行密钥。请重试，或换一种方式。
mfa-use-passkey = 使用通行密钥或安全密钥
account-passkeys-count = 通行密钥和安全密钥：{ $count }
account-passkeys = 通行密钥和安全密钥
account-passkey-blocked = 已停用：可能被复制
account-passkey-added-at = 添加于 { $when }
account-passkey-used-at = 上次使用于 { $when }
account-passkey-blocked-why = 被停用的通行密钥签名时的计数器比以前小，就像副本会做的那样。如果它是你的，请先删除再重新添加。
account-add-passkey = 添加通行密钥或安全密钥
account-remove-passkey = 删除通行密钥“{ $name }”
account-new-passkey-name = 新通行密钥的名称
account-new-passkey-placeholder = 例如：笔记本电脑、YubiKey
account-confirm-with-passkey = 改用通行密钥确认
account-passkey-was-added = 已添加通行密钥“{ $name }”。
account-passkey-was-removed = 已删除通行密钥“{ $name }”。
account-passkey-not-yours = 该通行密钥不属于你，或已被删除。
account-passkey-registered-already = 该通行密钥已注册。
account-passkey-not-added = 无法添加通行密钥：其应答未通过验证，或此步骤耗时过长。请重试。
passkey-add-title = 添加通行密钥
passkey-add-intro = 浏览器会请你在这台设备、你的手机或安全密钥上创建通行密钥。
passkey-name = 名称
passkey-create = 创建通行密钥
passkey-cancel = 取消
passkey-cancelled = 未使用通行密钥：请求已取消或已超时。请重试。
passkey-registered = 此通行密钥已注册。
passkey-failed = 浏览器无法使用通行密钥。请重试，或换一种方式。
passkey-unsupported = 此浏览器无法使用通行密钥。
passkey-needs-script = 通行密钥需要 JavaScript，但此浏览器已将其关闭。
enroll-passkey-heading = 或者使用通行密钥
enroll-passkey-intro = 用这台设备或手机上的指纹、面容或屏幕锁，或者一把安全密钥，代替输入验证码。
enroll-passkey-name = 通行密钥名称
enroll-passkey-default-name = 通行密钥
enroll-passkey-button = 设置通行密钥
enroll-passkey-failed = 无法设置通行密钥：未通过验证，或此步骤耗时过长。请重试。
login-with-passkey = 使用通行密钥登录
admin-method-webauthn = 通行密钥
admin-step-webauthn = 通行密钥
notice-passkey-added = 你的账户添加了一个通行密钥或安全密钥
notice-passkey-removed = 你的账户删除了一个通行密钥或安全密钥
account-passkey-last = 此通行密钥是你唯一的第二重验证方式：请先设置另一种方式（身份验证器应用或另一个通行密钥），或关闭两步验证。

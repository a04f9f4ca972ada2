# Portcullis — 日本語。キーと変数は locales/en/main.ftl と同じ。テキストのみ（マークアップなし）。

## Shared by several pages

login-title = サインイン
common-password = パスワード
common-your-account = アカウント
common-sign-out = サインアウト
common-signed-in-as = { $user } としてサインインしています。
common-code-from-app = 認証アプリのコード
common-backup-code = バックアップコード
common-backup-code-instead = 代わりにバックアップコードを使う
common-email-me-code = コードをメールで受け取る
common-text-me-code = コードを SMS で受け取る
common-trusted-devices = 信頼済みのデバイス
common-no-trusted-devices = 信頼済みのデバイスはありません。
common-forget-device = このデバイスの登録を解除

duration-minutes = { $count } 分
duration-hours = { $count } 時間
duration-days = { $count } 日

browser-on = { $system } の { $browser }
browser-any-on = { $system } のブラウザ
browser-unknown = 不明なブラウザ

## Sign-in page

login-username = ユーザー名
login-submit = サインイン

## Refusals and errors

invalid-credentials = ユーザー名またはパスワードが正しくありません。
invalid-enrol-code = このコードは無効です。デバイスの時刻を確認し、アプリに今表示されているコードを入力してください。
invalid-code = このコードは無効です。コードは 1 回しか使えません。次のコードを待つか、デバイスの時刻を確認するか、バックアップコードを使ってください。
invalid-backup-code = このバックアップコードは無効か、すでに使用されています。バックアップコードはそれぞれ 1 回しか使えません。
error-locked = 失敗した試行が多すぎます。{ $minutes } 分後にもう一度お試しください。
error-request-refused = リクエストが拒否されました
error-form-expired = このフォームは有効期限が切れています。前のページに戻り、再読み込みしてからもう一度お試しください。
error-bad-request = 不正なリクエスト
error-form-unreadable = フォームを読み取れませんでした。
error-busy = 混雑しています
error-busy-text = 同時にサインインしている人が多すぎます。しばらくしてからもう一度お試しください。
error-not-found = ページが見つかりません
error-not-found-text = このアドレスにはページがありません。
error-try-again = もう一度お試しください
error-unavailable = こちら側で問題が発生しました。しばらくしてからもう一度お試しください。
error-stale = しばらくしてからもう一度お試しください
error-stale-text = サインイン サービスが現在セッションを確認できません。データは失われていません。数秒後にこのページを再読み込みしてください。
error-access-denied = アクセスが拒否されました
error-no-access = このページへのアクセス権がありません。
error-too-many-requests = リクエストが多すぎます
error-too-many-from-network = お使いのネットワークからの試行が多すぎます。{ $seconds } 秒後にもう一度お試しください。
error-bad-gateway = アプリケーションに接続できません
error-gateway-timeout = タイムアウト
error-app-unreachable = 現在アプリケーションに接続できません。しばらくしてからもう一度お試しください。
error-app-timeout = アプリケーションの応答に時間がかかりすぎました。しばらくしてからもう一度お試しください。
error-page-failed = 問題が発生しました。

## Second-factor page

mfa-title = 2 段階認証
mfa-remember = このデバイスを記憶する（{ $duration }）
mfa-verify = 確認
mfa-use-app = 認証アプリを使う
mfa-use-backup-code = バックアップコードを使う
mfa-verify-backup-code = バックアップコードを確認
mfa-code-from-email = メールで届いたコード
mfa-code-from-sms = SMS に記載のコード
mfa-send-new-code = 新しいコードを送信
mfa-code-sent = { $to } にコードを送信しました。有効期間は { $duration }で、1 回だけ使えます。
mfa-too-many-codes = 送信したコードが多すぎます。{ $wait }後にもう一度お試しいただくか、別の方法をお使いください。
mfa-could-not-send = 現在コードを送信できませんでした。しばらくしてからもう一度お試しいただくか、別の方法をお使いください。

## Enrolment page

enroll-title = 2 段階認証を設定
enroll-replacing = 新しい認証アプリを設定してください。有効になると、以前のアプリのコードと以前のバックアップコードは使えなくなります。
enroll-needs-factor = このアカウントでは 2 段階認証の設定が必要です。
enroll-step-scan = 認証アプリでこの QR コードをスキャンするか、下のキーを手動で入力してください。
enroll-step-type = アプリに表示される { $digits } 桁のコードを入力してください。
enroll-qr-label = 認証アプリ用の QR コード
enroll-key = キー
enroll-setup-link = このデバイスで設定しますか？設定用リンクを使う
enroll-open-app = 認証アプリで開く
enroll-code = アプリのコード
enroll-activate = 有効にする
enroll-or-sent = またはコードを受け取る
enroll-no-app = アプリがない場合は、サインインのたびにコードをお送りします。
enroll-cancel = キャンセル（現在のアプリを使い続ける）

## Backup codes, shown once

codes-title = バックアップコード
codes-heading = バックアップコードを保存してください
codes-intro = 認証アプリを失くしたときは、各コードで 1 回サインインできます。パスワード マネージャーや印刷した紙など、安全な場所に保管してください。
codes-shown-once = これらのコードが表示されるのは今回だけです。
codes-replaced = 以前のバックアップコードは使えなくなりました。
codes-continue = 保存しました。続ける

## Account page

account-back-to-app = アプリケーションに戻る
account-admin-link = 管理：ユーザーとセキュリティ
account-app-active = 認証アプリ：有効
account-app-active-since = 認証アプリ：{ $since } から有効
account-app-not-set-up = 認証アプリ：未設定
account-codes-by-email = { $to } へのメールでコードを受け取る
account-codes-by-sms = { $to } への SMS でコードを受け取る
account-backup-left = 残りのバックアップコード：{ $count }
account-required = 組織の方針により、このアカウントでは 2 段階認証が必須です。
account-device-last-used = 最終使用：{ $when }（{ $ip }）
account-this-device = このデバイス
account-change-factor = 2 段階認証の方法を変更
account-what-to-do = 操作を選んでください
account-new-backup-codes = 新しいバックアップコードを取得
account-new-app = 新しい認証アプリを設定
account-fresh-code = 変更するたびに新しいコードが必要です。
account-continue = 続ける
account-turn-off = 2 段階認証をオフにする
account-turn-off-explained = オフにすると、パスワードだけでサインインできるようになります。ほかのすべてのセッションと信頼済みのデバイスは終了します。
account-prove-with = 確認方法
account-code = コード
account-proof-email = メールで届いたコード
account-proof-sms = SMS で届いたコード
account-proof-backup = バックアップコード
account-sign-out-everywhere = すべてのデバイスからサインアウト
account-sign-out-everywhere-explained = すべてのデバイスのセッションをすべて終了し、信頼済みのデバイスの登録を解除します。
account-no-code = 認証アプリのコードかバックアップコードを入力してください。
account-wrong-password-or-code = パスワードまたはコードが正しくありません。
account-code-sent = { $to } にコードを送信しました。
account-too-many-codes = 送信したコードが多すぎます。後でもう一度お試しいただくか、別の方法をお使いください。
account-could-not-send = 現在コードを送信できませんでした。しばらくしてからもう一度お試しください。

## Admin pages

admin-nav = 管理
admin-nav-overview = 概要とユーザー
admin-events = セキュリティ イベント
admin-fresh-until = { $until } までは、操作に新しいコードは不要です。
admin-each-action-code = 操作のたびに認証アプリのコードが必要です。
admin-overview-title = 管理：概要とユーザー
admin-overview-heading = セキュリティの概要
admin-last-day = 過去 24 時間
admin-last-week = 過去 7 日間
admin-sign-ins-by-factor = 要素別のサインイン
admin-sign-ins-day = 要素別のサインイン（過去 24 時間）
admin-sign-ins-week = 要素別のサインイン（過去 7 日間）
admin-step = ステップ
admin-succeeded = 成功
admin-failed = 失敗
admin-locked = ロック
admin-no-sign-ins = この期間のサインインはありません。
admin-step-password = パスワード
admin-step-trusted-device = 信頼済みのデバイス
admin-step-totp = 認証アプリ
admin-step-backup-code = バックアップコード
admin-step-email = メールのコード
admin-step-sms = SMS のコード
admin-lockouts = ロックアウト
admin-codes-sent-email = メールで送信したコード
admin-codes-sent-sms = SMS で送信したコード
admin-codes-failed = （失敗 { $count } 件）
admin-adoption = 2 段階認証の利用率
admin-enrolled-of = 有効なユーザー { $count } 人中 { $enrolled } 人
admin-users-disabled = 無効 { $count } 人
admin-truncated = 監査ログには読み込んだ件数より多くのイベントがありました。これらの数値は最低値です。
admin-grace = 猶予期間
admin-grace-counts = 期間内 { $inside } 人、未サインイン { $not_started } 人、期間終了 { $ended } 人。
admin-grace-until = { $user }（{ $until } まで）
admin-users = ユーザー
admin-search-users = ユーザーを検索
admin-search = 検索
admin-users-count = { $count } 人のユーザー
admin-users-matching = 「{ $query }」に一致するユーザー：{ $count } 人
admin-page-of = { $pages } ページ中 { $page } ページ目
admin-you = あなた
admin-disabled = 無効
admin-active = 有効
admin-locked-until = { $until } までロック中
admin-no-second-factor = 2 段階目の認証なし
admin-backup-codes = バックアップコード { $count } 個
admin-trusted-devices = 信頼済みのデバイス { $count } 台
admin-last-sign-in = 最終サインイン { $when }
admin-never-signed-in = サインイン履歴なし
admin-groups-list = グループ：{ $groups }
admin-pages-of-users = ユーザー一覧のページ
admin-previous-page = 前のページ
admin-next-page = 次のページ
admin-method-totp = 認証アプリ
admin-method-email = メールのコード
admin-method-sms = SMS のコード
admin-method-since = { $method }（{ $since } から）
admin-user-title = 管理：{ $user }
admin-status = 状態
admin-your-account = （あなたのアカウント）
admin-groups = グループ
admin-none = なし
admin-second-factors = 2 段階目の認証
admin-backup-codes-left = 残りのバックアップコード
admin-locked-out = ロックアウト
admin-until = { $until } まで
admin-no = いいえ
admin-last-sign-in-label = 最終サインイン
admin-never = なし
admin-device-used = { $created } に信頼済みに登録、最終使用：{ $when }（{ $ip }）
admin-actions = 操作
admin-actions-confirm = どの操作も、実行前にユーザー名を示して確認を求めます。
admin-action-lockout-clear = ロックアウトを解除
admin-action-revoke-sessions = すべてのセッションを終了
admin-action-mfa-reset = 2 段階認証をリセット
admin-action-disable = アカウントを無効にする
admin-enable-again = アカウントを再び有効にするには、{ $command } を実行するか、ユーザー ファイルから { $setting } を削除してください。
admin-confirm-title = 確認：{ $question }
admin-own-account = これはあなた自身のアカウントです。
admin-code-help = 管理操作には、{ $fresh_for }以内に入力したコードが必要です。間違ったコードはあなた自身のサインイン失敗として数えられ、{ $count } 回続けて失敗するとアカウントがしばらくロックされます。
admin-confirm-for = { $user } に対して実行
admin-cancel = キャンセル
admin-question-mfa-reset = { $user } の 2 段階認証をリセットしますか？
admin-question-lockout-clear = { $user } が今すぐ再びサインインできるようにしますか？
admin-question-revoke-sessions = { $user } のすべてのセッションを終了しますか？
admin-question-disable = { $user } のアカウントを無効にしますか？
admin-question-device-revoke = { $user } のこの信頼済みデバイスの登録を解除しますか？
admin-consequence-mfa-reset = 認証アプリ、バックアップコード、メールと SMS のコード、信頼済みのデバイスがすべて削除され、すべてのセッションが終了します。次回のサインイン時に 2 段階認証を設定し直します。
admin-consequence-lockout-clear = 失敗した試行の記録が消去され、ロックアウトが解除されます。
admin-consequence-revoke-sessions = すべてのデバイスからサインアウトされ、信頼済みのデバイスでも再び 2 段階目の認証が求められます。
admin-consequence-disable = ユーザー ファイルが変更されるまで誰もこのアカウントでサインインできなくなり、すべてのセッションが終了します。
admin-consequence-device-revoke = そのブラウザでは、次回のサインイン時に 2 段階目の認証が求められます。
admin-done-mfa-reset = { $user } の 2 段階認証をリセットしました。
admin-done-lockout-clear = { $user } は再びサインインできます。
admin-done-revoke-sessions = { $user } のすべてのセッションを終了しました。
admin-done-disable = { $user } は無効になりました。
admin-done-device-revoke = { $user } のデバイスの登録を解除しました。
admin-not-allowed = 許可されていません
admin-navigation-required = このページは専用のブラウザ タブでのみ開けます。
admin-needs-mfa = 管理ページを使うには 2 段階認証が必要です。アカウント ページで設定してから、もう一度サインインしてください。
admin-no-such-user = ユーザーが見つかりません
admin-no-such-user-text = ユーザー ファイルにその名前のユーザーはいません。
admin-not-understood = 理解できません
admin-unknown-action = その操作は不明です。
admin-code-first = まず認証アプリのコードを入力してください。
admin-device-gone = そのデバイスはすでに登録解除されています。
admin-events-title = 管理：セキュリティ イベント
admin-filter-user = ユーザー
admin-filter-admin = 操作した管理者
admin-filter-kind = 種類
admin-filter-outcome = 結果
admin-filter-any = すべて
admin-filter-since = 開始
admin-filter-since-help = 1h、7d、または 2026-11-23T08:00:00Z
admin-filter-show = 表示
admin-filter-not-applied = フィルターは適用されませんでした：{ $why }。
admin-filter-not-understood = フィルターを理解できません
admin-filter-bad-kind = 不明な種類「{ $value }」
admin-filter-bad-outcome = 不明な結果「{ $value }」
admin-filter-bad-since = 開始「{ $value }」：期間（1h、7d）または日時（2026-11-23T08:00:00Z）を指定してください
admin-export = これらのイベントをエクスポート：
admin-newest-first = 新しい順
admin-event-from = 送信元 { $ip }
admin-events-shown = 新しい 100 件を表示しています。エクスポートには最大 10,000 件が含まれます。
admin-no-events = 一致するイベントはありません。

## E-mail and text message with a code

mail-code-subject = { $service } のサインイン コード
mail-code-is = { $service } のサインイン コードは { $code } です。
mail-code-your-code = サインイン コード：
mail-code-asked = このコードは { $when } に { $ip }（{ $browser }）から、{ $user } としてサインインするために要求されました。
mail-code-valid = 有効期間は { $valid_for }で、1 回だけ使えます。
mail-code-never-ask = { $service } の担当者がこのコードを尋ねることは決してありません。
mail-code-not-you = サインインしようとしていない場合は、誰にも伝えず、パスワードを変更してください。
sms-code = { $code } は { $user } の { $service } サインイン コードです。有効期間は { $valid_for }で、1 回だけ使えます。{ $service } がこのコードを尋ねることはありません。

## E-mail notices of changes to an account

notice-authenticator-enrolled = アカウントに認証アプリが設定されました
notice-authenticator-replaced = 認証アプリが置き換えられました
notice-email-codes-enrolled = 2 つ目のステップとしてメールのコードが設定されました
notice-sms-codes-enrolled = 2 つ目のステップとして SMS のコードが設定されました
notice-mfa-turned-off = 2 段階認証がオフになりました
notice-backup-codes-regenerated = 新しいバックアップコードが作成され、以前のコードは使えなくなりました
notice-device-trusted = 2 つ目のステップを省略するデバイスが登録されました
notice-mfa-reset = 管理者があなたの 2 段階認証をリセットしました
notice-locked-out = サインインの失敗が続いたため、アカウントがロックされました
notice-advice-locked-out = 心当たりがない場合は、誰かがパスワードを推測しようとしている可能性があります。パスワードを変更し、管理者に連絡してください。
notice-advice-mfa-reset = 次回のサインイン時に、2 段階目の認証を設定し直します。依頼した覚えがない場合は、管理者に連絡してください。
notice-advice = ご自身の操作であれば、対応は不要です。心当たりがない場合は、すぐにパスワードを変更し、管理者に連絡してください。
notice-happened = { $when } に、{ $service } のアカウント { $user } で行われた操作です。
notice-happened-from = { $when } に { $ip }（{ $browser }）から、{ $service } のアカウント { $user } で行われた操作です。
notice-never-code = このメッセージにコードやパスワードが含まれることはなく、{ $service } の担当者がそれらを尋ねることも決してありません。

## Passkeys and security keys

invalid-passkey = このパスキーを確認できませんでした。もう一度試すか、別の方法を使ってください。
mfa-use-passkey = パスキーまたはセキュリティキーを使う
account-passkeys-count = パスキーとセキュリティキー：{ $count }
account-passkeys = パスキーとセキュリティキー
account-passkey-blocked = ブロック中：コピーの疑い
account-passkey-added-at = 追加日時 { $when }
account-passkey-used-at = 最終使用 { $when }
account-passkey-blocked-why = ブロックされたパスキーは、コピーと同じように以前より小さいカウンターで署名しました。ご自分のものであれば、削除してからもう一度追加してください。
account-add-passkey = パスキーまたはセキュリティキーを追加
account-remove-passkey = パスキー「{ $name }」を削除
account-new-passkey-name = 新しいパスキーの名前
account-new-passkey-placeholder = 例：ノートパソコン、YubiKey
account-confirm-with-passkey = 代わりにパスキーで確認
account-passkey-was-added = パスキー「{ $name }」を追加しました。
account-passkey-was-removed = パスキー「{ $name }」を削除しました。
account-passkey-not-yours = そのパスキーはあなたのものではないか、すでに削除されています。
account-passkey-registered-already = そのパスキーはすでに登録されています。
account-passkey-not-added = パスキーを追加できませんでした。応答を確認できなかったか、時間がかかりすぎました。もう一度試してください。
passkey-add-title = パスキーを追加
passkey-add-intro = このデバイス、スマートフォン、またはセキュリティキーにパスキーを作成するよう、ブラウザーが求めます。
passkey-name = 名前
passkey-create = パスキーを作成
passkey-cancel = キャンセル
passkey-cancelled = パスキーは使われませんでした。リクエストがキャンセルされたか、時間切れになりました。もう一度試してください。
passkey-registered = このパスキーはすでに登録されています。
passkey-failed = ブラウザーがパスキーを使えませんでした。もう一度試すか、別の方法を使ってください。
passkey-unsupported = このブラウザーではパスキーを使えません。
passkey-needs-script = パスキーには JavaScript が必要ですが、このブラウザーではオフになっています。
enroll-passkey-heading = またはパスキーを使う
enroll-passkey-intro = コードを入力する代わりに、このデバイスやスマートフォンの指紋・顔認証・画面ロック、またはセキュリティキーを使います。
enroll-passkey-name = パスキーの名前
enroll-passkey-default-name = パスキー
enroll-passkey-button = パスキーを設定
enroll-passkey-failed = パスキーを設定できませんでした。確認できなかったか、時間がかかりすぎました。もう一度試してください。
login-with-passkey = パスキーでサインイン
admin-method-webauthn = パスキー
admin-step-webauthn = パスキー
notice-passkey-added = アカウントにパスキーまたはセキュリティキーが追加されました
notice-passkey-removed = アカウントからパスキーまたはセキュリティキーが削除されました
account-passkey-last = このパスキーはあなたの唯一の 2 段階目の手段です。先に別の手段（認証アプリまたは別のパスキー）を設定するか、2 段階認証をオフにしてください。

//! SMS through a Twilio-compatible REST API (DESIGN §3 `[sms]`, §6): `POST
//! {api_base}/2010-04-01/Accounts/{account_sid}/Messages.json` with HTTP Basic auth (account
//! SID, auth token) and the form fields `To`, `From`, `Body`. Any 2xx is sent; anything else,
//! or no answer within the timeout, is a failure.

use std::time::Duration;

use super::DeliveryError;
use crate::config::Sms;

/// How long the provider may take to accept a message.
pub const TIMEOUT: Duration = Duration::from_secs(5);

pub struct SmsSender {
    client: reqwest::Client,
    endpoint: url::Url,
    account_sid: String,
    auth_token: String,
    from: String,
}

impl std::fmt::Debug for SmsSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsSender")
            .field("endpoint", &self.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

impl SmsSender {
    pub fn new(cfg: &Sms) -> Result<SmsSender, DeliveryError> {
        let path = format!(
            "2010-04-01/Accounts/{}/Messages.json",
            percent_encoding::utf8_percent_encode(
                &cfg.account_sid,
                percent_encoding::NON_ALPHANUMERIC
            )
        );
        let mut base = cfg.api_base.clone();
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let endpoint = base
            .join(&path)
            .map_err(|e| DeliveryError::Sms(format!("api_base: {e}")))?;
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| DeliveryError::Sms(e.to_string()))?;
        Ok(SmsSender {
            client,
            endpoint,
            account_sid: cfg.account_sid.clone(),
            auth_token: cfg
                .auth_token
                .as_ref()
                .map(|t| String::from_utf8_lossy(t.expose()).into_owned())
                .unwrap_or_default(),
            from: cfg.from.clone(),
        })
    }

    /// Sends `body` to the E.164 number `to`.
    pub async fn send(&self, to: &str, body: &str) -> Result<(), DeliveryError> {
        let form = serde_urlencoded::to_string([("To", to), ("From", &self.from), ("Body", body)])
            .map_err(|e| DeliveryError::Sms(e.to_string()))?;
        let sent = self
            .client
            .post(self.endpoint.clone())
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form)
            .send();
        let response = tokio::time::timeout(TIMEOUT, sent)
            .await
            .map_err(|_| DeliveryError::Timeout(TIMEOUT))?
            .map_err(|e| {
                if e.is_timeout() {
                    DeliveryError::Timeout(TIMEOUT)
                } else {
                    DeliveryError::Sms(e.without_url().to_string())
                }
            })?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(DeliveryError::SmsStatus(status.as_u16()))
        }
    }
}

//! Outgoing mail with lettre (DESIGN §3 `[smtp]`): SMTP with opportunistic or required STARTTLS
//! or implicit TLS (RFC 8314), rustls with the webpki roots plus `ca_file`, AUTH when a username
//! and password are set; `file:DIR` and `log` for development.

use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::DeliveryError;
use crate::config::{Smtp, SmtpRelay, SmtpTls};

/// One message: a text part and an HTML part of the same words.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Sends [`Mail`] as configured.
pub struct Mailer {
    from: Mailbox,
    timeout: Duration,
    relay: Relay,
}

enum Relay {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
    Log,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// Builds the transport; errors: an unreadable CA file, a bad `from`, a TLS setup failure.
    pub fn new(cfg: &Smtp) -> Result<Mailer, DeliveryError> {
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|e| DeliveryError::Message(format!("from: {e}")))?;
        let relay = match &cfg.relay {
            SmtpRelay::Server { host, port, tls } => {
                let mut params = TlsParameters::builder(host.clone());
                if let Some(ca) = &cfg.ca_file {
                    let pem = std::fs::read(ca).map_err(|e| {
                        DeliveryError::Smtp(format!("ca_file {}: {e}", ca.display()))
                    })?;
                    let cert = Certificate::from_pem(&pem)
                        .map_err(|e| DeliveryError::Smtp(format!("ca_file: {e}")))?;
                    params = params.add_root_certificate(cert);
                }
                let params = params
                    .build_rustls()
                    .map_err(|e| DeliveryError::Smtp(format!("TLS: {e}")))?;
                let tls = match tls {
                    SmtpTls::Opportunistic => Tls::Opportunistic(params),
                    SmtpTls::Required => Tls::Required(params),
                    SmtpTls::Implicit => Tls::Wrapper(params),
                };
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                    .port(*port)
                    .tls(tls)
                    .timeout(Some(cfg.timeout));
                if let (Some(user), Some(password)) = (&cfg.username, &cfg.password) {
                    let password = String::from_utf8_lossy(password.expose()).into_owned();
                    builder = builder.credentials(Credentials::new(user.clone(), password));
                }
                Relay::Smtp(builder.build())
            }
            SmtpRelay::File(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DeliveryError::File(format!("{}: {e}", dir.display())))?;
                Relay::File(AsyncFileTransport::new(dir))
            }
            SmtpRelay::Log => Relay::Log,
        };
        Ok(Mailer {
            from,
            timeout: cfg.timeout,
            relay,
        })
    }

    /// Sends `mail`, within `[smtp] timeout` in all.
    pub async fn send(&self, mail: &Mail) -> Result<(), DeliveryError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| DeliveryError::Message(format!("to: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(mail.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(mail.html.clone()),
                    ),
            )
            .map_err(|e| DeliveryError::Message(e.to_string()))?;
        let sent = async {
            match &self.relay {
                Relay::Smtp(t) => t
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|e| DeliveryError::Smtp(e.to_string())),
                Relay::File(t) => t
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|e| DeliveryError::File(e.to_string())),
                Relay::Log => {
                    // Development only (a startup warning says so): the words, codes included.
                    tracing::warn!(to = %mail.to, subject = %mail.subject, text = %mail.text, "mail not sent ([smtp] url = \"log\")");
                    Ok(())
                }
            }
        };
        tokio::time::timeout(self.timeout, sent)
            .await
            .map_err(|_| DeliveryError::Timeout(self.timeout))?
    }
}

//! Delivery of codes and notices, off the request path: e-mail ([`mail`]) and SMS ([`sms`]).
//!
//! Each sender bounds its own time (`[smtp] timeout`, a fixed one for SMS), so a slow or dead
//! server costs a person a clear answer within that time, never a hung page. Errors say what
//! failed for the operator's log; a person only ever reads "could not send".

pub mod mail;
pub mod sms;

/// Why a message was not delivered. For the log and the audit trail, never for a page.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("no answer within {0:?}")]
    Timeout(std::time::Duration),
    #[error("mail server: {0}")]
    Smtp(String),
    #[error("mail file: {0}")]
    File(String),
    #[error("message: {0}")]
    Message(String),
    #[error("SMS provider answered {0}")]
    SmsStatus(u16),
    #[error("SMS provider: {0}")]
    Sms(String),
    #[error("not configured")]
    NotConfigured,
}

/// `a***@example.com`: enough for a person to recognise their own address, too little to learn
/// someone else's.
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// `+1******1234`: the country code's first digit and the last four (E.164 numbers only).
pub fn mask_phone(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return "***".to_owned();
    }
    let last: String = digits[digits.len() - 4..].iter().collect();
    format!("+{}{}{last}", digits[0], "*".repeat(digits.len() - 5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_numbers_are_masked_to_what_their_owner_recognises() {
        assert_eq!(mask_email("alice@example.com"), "a***@example.com");
        assert_eq!(mask_email("nobody"), "***");
        assert_eq!(mask_phone("+15551234567"), "+1******4567");
        assert_eq!(mask_phone("+4915123456789"), "+4********6789");
        assert_eq!(mask_phone("+12"), "***");
    }
}

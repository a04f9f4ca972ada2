//! Stage two for `[identity]`: the headers that carry who the user is upstream.

use http::HeaderName;

use super::ctx::Ctx;
use super::error::ConfigError;
use super::raw::RawIdentity;
use super::sections::bad_secret;
use super::types::Identity;
use super::ENV_JWT_KEY;

pub(crate) fn identity(ctx: &Ctx<'_>, r: RawIdentity) -> Result<Identity, ConfigError> {
    let header =
        |key: &'static str, raw: Option<&str>, default: &str| -> Result<HeaderName, ConfigError> {
            let s = raw.unwrap_or(default);
            HeaderName::from_bytes(s.as_bytes()).map_err(|_| {
                ctx.invalid(
                    &["identity", key],
                    format!("\"{s}\" is not a valid HTTP header name"),
                )
            })
        };
    let user_header = header("user_header", r.user_header.as_deref(), "Remote-User")?;
    let email_header = header("email_header", r.email_header.as_deref(), "Remote-Email")?;
    let name_header = header("name_header", r.name_header.as_deref(), "Remote-Name")?;
    let groups_header = header("groups_header", r.groups_header.as_deref(), "Remote-Groups")?;
    let jwt_header = match r.jwt_header.as_deref() {
        Some(s) => Some(header("jwt_header", Some(s), "")?),
        None => None,
    };
    // Two identity fields in one header would let one overwrite the other.
    let named = [
        ("user_header", Some(&user_header)),
        ("email_header", Some(&email_header)),
        ("name_header", Some(&name_header)),
        ("groups_header", Some(&groups_header)),
        ("jwt_header", jwt_header.as_ref()),
    ];
    for (i, (key, h)) in named.iter().enumerate() {
        let Some(h) = h else { continue };
        if let Some((other, _)) = named[..i].iter().find(|(_, o)| *o == Some(h)) {
            return Err(ctx.invalid(
                &["identity", key],
                format!("\"{h}\" is already used by \"{other}\""),
            ));
        }
    }
    let found = ctx.secret(
        &["identity"],
        "jwt_key",
        r.jwt_key.as_deref(),
        r.jwt_key_file.as_deref(),
        ENV_JWT_KEY,
    )?;
    if let Some((_, src)) = found.as_ref().filter(|(s, _)| s.is_empty()) {
        return Err(bad_secret(
            ctx,
            "identity",
            "jwt_key",
            src,
            "must not be empty",
        ));
    }
    let (jwt_key, jwt_key_source) = found.map_or((None, None), |(s, src)| (Some(s), Some(src)));
    Ok(Identity {
        user_header,
        email_header,
        name_header,
        groups_header,
        jwt_header,
        jwt_key,
        jwt_key_source,
        jwt_audience: r.jwt_audience.filter(|a| !a.is_empty()),
    })
}

//! Stage two for `[[location]]`: matchers and a policy, in file order.

use super::ctx::Ctx;
use super::error::ConfigError;
use super::position::line_col;
use super::raw::RawLocation;
use super::sections::{networks, upstream_url};
use super::types::{Location, Policy};

pub(crate) fn locations(
    ctx: &Ctx<'_>,
    raw: Vec<RawLocation>,
) -> Result<Vec<Location>, ConfigError> {
    raw.into_iter()
        .enumerate()
        .map(|(i, r)| location(ctx, i, r))
        .collect()
}

fn location(ctx: &Ctx<'_>, i: usize, r: RawLocation) -> Result<Location, ConfigError> {
    let idx = i.to_string();
    let at = |k: &'static str| ["location", idx.as_str(), k];
    let line = ctx
        .index
        .value_start(&["location", idx.as_str()])
        .map_or(0, |o| line_col(ctx.text, o).0);

    let Some(raw_policy) = r.policy.as_deref() else {
        return Err(ctx.missing(&["location", idx.as_str()], "policy"));
    };
    let policy = Policy::ALL
        .into_iter()
        .find(|p| p.as_str() == raw_policy)
        .ok_or_else(|| {
            ctx.invalid(
                &at("policy"),
                "expected one of bypass, one_factor, two_factor, deny",
            )
        })?;

    if r.path.is_some() && r.path_regex.is_some() {
        return Err(ctx.invalid(&at("path_regex"), "set either path or path_regex, not both"));
    }
    if let Some(p) = r.path.as_ref().filter(|p| !p.starts_with('/')) {
        return Err(ctx.invalid(&at("path"), format!("\"{p}\" must start with '/'")));
    }
    // Compared with normalised request paths, so it must be in the same form.
    let path = match r.path.as_deref().map(crate::policy::path::normalize) {
        None => None,
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => return Err(ctx.invalid(&at("path"), format!("not a usable path: {e}"))),
    };
    let path_regex = match r.path_regex.as_deref() {
        None => None,
        Some(re) => Some(regex::Regex::new(re).map_err(|e| {
            // The regex crate's message spans several lines; keep its last, most specific one.
            let why = e.to_string();
            let why = why
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
                .to_owned();
            ctx.invalid(
                &at("path_regex"),
                format!("\"{re}\" is not a valid regex: {why}"),
            )
        })?),
    };

    let mut methods = Vec::new();
    for m in r.methods.unwrap_or_default() {
        let method = http::Method::from_bytes(m.to_ascii_uppercase().as_bytes())
            .map_err(|_| ctx.invalid(&at("methods"), format!("\"{m}\" is not an HTTP method")))?;
        if !methods.contains(&method) {
            methods.push(method);
        }
    }

    let host = match r.host {
        Some(h) if h.is_empty() || h.contains(['/', ' ', '@']) => {
            return Err(ctx.invalid(&at("host"), format!("\"{h}\" is not a host name")))
        }
        h => h.map(|h| h.to_ascii_lowercase()),
    };
    let upstream = match r.upstream.as_deref() {
        Some(u) => Some(upstream_url(ctx, &at("upstream"), u)?),
        None => None,
    };

    Ok(Location {
        index: i + 1,
        line,
        path,
        path_regex,
        methods,
        users: r.users.unwrap_or_default(),
        groups: r.groups.unwrap_or_default(),
        networks: networks(ctx, &at("networks"), r.networks.unwrap_or_default())?,
        host,
        policy,
        upstream,
        allow_encoded_slash: r.allow_encoded_slash.unwrap_or(false),
    })
}

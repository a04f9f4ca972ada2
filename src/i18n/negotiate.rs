//! Which language a response is in: the client's `Accept-Language` (RFC 9110 §12.5.4) against
//! the languages the operator offers (`[ui] locales`), else `[ui] default_locale`.
//!
//! Matching is by primary language subtag, as RFC 4647 §3.4 lookup falls back to it: we ship
//! one catalog per language, so `de-CH` is German, `pt-BR` Portuguese and `zh-CN`, `zh-Hans`
//! and `zh-TW` the one (simplified) Chinese catalog. Runs for the gateway's own pages and
//! e-mails only, never on a proxied request.

use super::Locale;

/// At most this many bytes of the header are read; a longer one is cut there (browsers send
/// a few dozen).
const MAX_BYTES: usize = 1024;
/// At most this many language ranges are weighed; later ones are ignored.
const MAX_RANGES: usize = 32;

/// A quality value in thousandths (RFC 9110 §12.4.2: at most three decimals): 0 to 1000.
type Quality = u16;

/// The best of `offered` for the client's `Accept-Language` (`None`: the header is absent):
/// the highest quality wins, then a named language over `*`, then the earlier range. A
/// language given `q=0` is never chosen by `*`. Nothing acceptable, or a header that is not
/// text: `default`.
pub fn choose(accept_language: Option<&[u8]>, offered: &[Locale], default: Locale) -> Locale {
    let Some(raw) = accept_language else {
        return default;
    };
    let raw = &raw[..raw.len().min(MAX_BYTES)];
    let text = match std::str::from_utf8(raw) {
        Ok(t) => t,
        // Cut inside a character: what came before it.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&raw[..e.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return default,
    };
    let ranges: Vec<(&str, Quality)> = text
        .split(',')
        .take(MAX_RANGES)
        .filter_map(language_range)
        .collect();
    let refused = |l: Locale| {
        ranges
            .iter()
            .any(|(r, q)| *q == 0 && Locale::for_tag(r) == Some(l))
    };
    // (quality, named before `*`, earlier first) — the best range that names something offered.
    let mut best: Option<(Quality, bool, usize, Locale)> = None;
    for (i, (range, q)) in ranges.iter().enumerate() {
        if *q == 0 {
            continue;
        }
        let (named, found) = if *range == "*" {
            // Any language: ours by preference, unless the client refused it.
            let any = std::iter::once(default)
                .chain(offered.iter().copied())
                .find(|l| offered.contains(l) && !refused(*l));
            (false, any)
        } else {
            let l = Locale::for_tag(range).filter(|l| offered.contains(l));
            (true, l)
        };
        let Some(found) = found else { continue };
        let better = match best {
            None => true,
            Some((bq, bnamed, _, _)) => (*q, named) > (bq, bnamed),
        };
        if better {
            best = Some((*q, named, i, found));
        }
    }
    best.map_or(default, |(_, _, _, l)| l)
}

/// One element of the header: `de-CH;q=0.8` → ("de-CH", 800). `None` for an empty or
/// malformed element (a bad quality value, a range that is not a language tag or `*`), which
/// is skipped.
fn language_range(element: &str) -> Option<(&str, Quality)> {
    let mut parts = element.split(';');
    let range = parts.next()?.trim();
    // language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*" (RFC 4647 §2.1)
    let well_formed = range == "*"
        || range.split('-').enumerate().all(|(i, sub)| {
            (1..=8).contains(&sub.len())
                && sub.chars().all(|c| match i {
                    0 => c.is_ascii_alphabetic(),
                    _ => c.is_ascii_alphanumeric(),
                })
        });
    if range.is_empty() || !well_formed {
        return None;
    }
    let mut q = 1000;
    for param in parts {
        let (name, value) = param.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("q") {
            q = quality(value.trim())?;
        }
    }
    Some((range, q))
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn quality(v: &str) -> Option<Quality> {
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // "0.8" is 800, "0.05" is 50.
    let thousandths = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0, |n: Quality, d| n * 10 + Quality::from(d - b'0'));
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

//! Request-path normalisation (DESIGN §7).
//!
//! The gateway evaluates locations against exactly the path it forwards upstream, so there is one
//! canonical form and anything that two parsers could read differently is refused (400).

/// Why a request path was refused. Every variant is a denial; none is ever "fixed up".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("not an absolute path")]
    NotAbsolute,
    #[error("backslash")]
    Backslash,
    #[error("NUL or control character")]
    ControlChar,
    #[error("non-ASCII byte")]
    NonAscii,
    #[error("query or fragment delimiter in path")]
    Delimiter,
    #[error("malformed percent-encoding")]
    MalformedPercent,
    #[error("encoded slash")]
    EncodedSlash,
    #[error("encoded backslash")]
    EncodedBackslash,
    #[error("double encoding")]
    DoubleEncoding,
    #[error("dot segment above root")]
    AboveRoot,
    #[error("path parameter on dot segment")]
    DotSegmentParameter,
    #[error("dot segment between encoded slashes")]
    EncodedDotSegment,
}

/// Normalises the path component of a request target (no query string) into the single form that is
/// both evaluated against locations and forwarded upstream.
///
/// Steps: percent-encoding normalisation (RFC 3986 §6.2.2.1, §6.2.2.2), merging of empty segments
/// (as nginx `merge_slashes`), then dot-segment removal (RFC 3986 §5.2.4). The result is idempotent.
pub fn normalize(raw: &str) -> Result<String, PathError> {
    if is_plain(raw) {
        return Ok(raw.to_owned());
    }
    normalize_general(raw, EncodedSlash::Refuse)
}

/// [`normalize`] for a location that opted in with `allow_encoded_slash` (GitLab's
/// `/api/v4/projects/group%2Fproject`, RabbitMQ's `/api/queues/%2F/q`): `%2F` is kept, as `%2F`,
/// inside its segment — never a separator, for matching and forwarding alike. What a backend
/// that decodes it would see must still stay where the gateway placed it, so a `.` or `..`
/// between encoded slashes (`..%2F..%2Fadmin`) is refused.
pub fn normalize_keeping_encoded_slash(raw: &str) -> Result<String, PathError> {
    let path = normalize_general(raw, EncodedSlash::Keep)?;
    for segment in path.split('/') {
        if !segment.contains(ENCODED_SLASH) {
            continue;
        }
        for piece in segment.split(ENCODED_SLASH) {
            let before_param = piece.split(';').next().unwrap_or(piece);
            let before_param = before_param.split("%3B").next().unwrap_or(before_param);
            if matches!(before_param, "." | "..") {
                return Err(PathError::EncodedDotSegment);
            }
        }
    }
    Ok(path)
}

/// `%2F` as a normalised path keeps it (upper-case hex, RFC 3986 §6.2.2.1).
pub const ENCODED_SLASH: &str = "%2F";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EncodedSlash {
    Refuse,
    Keep,
}

/// Already in normal form: only unreserved and sub-delimiter characters (no `%`, `;` or `\\`),
/// no empty segment except a trailing slash, no dot segment. Most request paths are.
fn is_plain(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.first() == Some(&b'/')
        && b.iter().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    b'/' | b'-'
                        | b'.'
                        | b'_'
                        | b'~'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b'='
                        | b':'
                        | b'@'
                )
        })
        && memchr::memmem::find(b, b"//").is_none()
        && raw[1..].split('/').all(|seg| seg != "." && seg != "..")
}

fn normalize_general(raw: &str, slash: EncodedSlash) -> Result<String, PathError> {
    if !raw.starts_with('/') {
        return Err(PathError::NotAbsolute);
    }
    let decoded = normalize_escapes(raw, slash)?;
    // Checked on the result, not the input: `%25%32%65` only becomes `%252e` after decoding.
    if has_double_encoding(&decoded) {
        return Err(PathError::DoubleEncoding);
    }

    let mut stack: Vec<&str> = Vec::new();
    let mut trailing_slash = false;
    for segment in decoded.split('/').skip(1) {
        // CVE-2020-1957 / Tomcat `..;/`: servlet containers drop `;params` before resolving dots.
        let before_param = segment.split(';').next().unwrap_or(segment);
        let before_param = before_param.split("%3B").next().unwrap_or(before_param);
        let is_dot = matches!(before_param, "." | "..");
        if is_dot && before_param != segment {
            return Err(PathError::DotSegmentParameter);
        }
        match segment {
            "" | "." => trailing_slash = true,
            ".." => {
                stack.pop().ok_or(PathError::AboveRoot)?;
                trailing_slash = true;
            }
            _ => {
                stack.push(segment);
                trailing_slash = false;
            }
        }
    }

    let mut out = String::with_capacity(decoded.len());
    for segment in &stack {
        out.push('/');
        out.push_str(segment);
    }
    if trailing_slash || stack.is_empty() {
        out.push('/');
    }
    Ok(out)
}

/// True when `path` equals `prefix` or starts with `prefix` followed by '/' (segment boundary:
/// "/api" matches "/api" and "/api/x", never "/apix"). A prefix ending in '/' matches paths starting with it.
pub fn has_prefix(path: &str, prefix: &str) -> bool {
    let under = match path.strip_prefix(prefix) {
        None => false,
        Some(rest) => rest.is_empty() || rest.starts_with('/') || prefix.ends_with('/'),
    };
    // "/admin/" written as in nginx also covers "/admin", which most apps serve the same.
    under || (prefix.len() > 1 && prefix.strip_suffix('/') == Some(path))
}

/// The path with `;parameters` removed from every segment, as servlet containers (Tomcat,
/// Jetty, Spring) route it: `/admin;x/users` is `/admin/users` to them, so locations must match
/// it that way too. Borrowed when there is nothing to remove.
pub fn without_params(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.contains(';') {
        return std::borrow::Cow::Borrowed(path);
    }
    let segments: Vec<&str> = path
        .split('/')
        .map(|s| s.split(';').next().unwrap_or(s))
        .collect();
    std::borrow::Cow::Owned(segments.join("/"))
}

/// Validates every byte and percent-escape, decoding escapes of unreserved characters and
/// upper-casing the hex of the others.
fn normalize_escapes(raw: &str, slash: EncodedSlash) -> Result<String, PathError> {
    let mut out = String::with_capacity(raw.len());
    let mut bytes = raw.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hi = bytes.next().and_then(hex_value);
                let lo = bytes.next().and_then(hex_value);
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(PathError::MalformedPercent);
                };
                let value = hi << 4 | lo;
                match value {
                    b'/' if slash == EncodedSlash::Keep => out.push_str(ENCODED_SLASH),
                    b'/' => return Err(PathError::EncodedSlash),
                    b'\\' => return Err(PathError::EncodedBackslash),
                    v if is_control(v) => return Err(PathError::ControlChar),
                    v if is_unreserved(v) => out.push(char::from(v)),
                    v => out.push_str(&format!("%{v:02X}")),
                }
            }
            b'\\' => return Err(PathError::Backslash),
            b'?' | b'#' => return Err(PathError::Delimiter),
            v if is_control(v) => return Err(PathError::ControlChar),
            v if !v.is_ascii() => return Err(PathError::NonAscii),
            v => out.push(char::from(v)),
        }
    }
    Ok(out)
}

/// `%25` followed by two hex digits: a second decoding pass (ours or a backend's) would turn it into
/// a different byte, which is exactly the ambiguity that enables `%252e%252e` traversal.
fn has_double_encoding(s: &str) -> bool {
    s.as_bytes().windows(5).any(
        |w| matches!(w, [b'%', b'2', b'5', a, b] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit()),
    )
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

fn is_control(b: u8) -> bool {
    b < 0x20 || b == 0x7F
}

/// RFC 3986 §2.3.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(raw: &str) -> String {
        normalize(raw).unwrap()
    }

    #[test]
    fn dot_dot_segment_is_resolved() {
        assert_eq!(ok("/public/../admin"), "/admin");
        assert_eq!(ok("/a/b/../../c"), "/c");
    }

    #[test]
    fn encoded_dot_dot_is_decoded_then_resolved() {
        assert_eq!(ok("/public/%2e%2e/admin"), "/admin");
        assert_eq!(ok("/public/.%2E/admin"), "/admin");
    }

    #[test]
    fn single_dot_segment_is_removed() {
        assert_eq!(ok("/a/./b"), "/a/b");
        assert_eq!(ok("/./a"), "/a");
    }

    #[test]
    fn encoded_slash_is_refused() {
        assert_eq!(
            normalize("/public/..%2fadmin"),
            Err(PathError::EncodedSlash)
        );
        assert_eq!(normalize("/a%2Fb"), Err(PathError::EncodedSlash));
    }

    #[test]
    fn an_opted_in_location_keeps_an_encoded_slash_inside_its_segment() {
        for (raw, want) in [
            (
                "/api/v4/projects/group%2Fproject",
                "/api/v4/projects/group%2Fproject",
            ),
            (
                "/api/v4/projects/group%2fsub%2Fproject/issues",
                "/api/v4/projects/group%2Fsub%2Fproject/issues",
            ),
            ("/api/queues/%2F/q", "/api/queues/%2F/q"),
            ("/api/queues/%2f%2F/q", "/api/queues/%2F%2F/q"),
            // Real separators are normalised as ever around it.
            ("/api//v4/./projects/x/../a%2Fb", "/api/v4/projects/a%2Fb"),
            ("/api/%7Euser%2Frepo", "/api/~user%2Frepo"),
        ] {
            assert_eq!(
                normalize_keeping_encoded_slash(raw).as_deref(),
                Ok(want),
                "{raw}"
            );
        }
    }

    #[test]
    fn dot_segments_between_encoded_slashes_are_refused_even_where_they_are_kept() {
        for raw in [
            "/public/..%2fadmin",
            "/api/x%2F..%2F..%2Fadmin",
            "/api/..%2F",
            "/api/%2E%2E%2Fadmin",
            "/api/.%2Fx",
            "/api/a%2F..;x%2Fb",
            "/api/a%2F..%3Bx",
        ] {
            assert_eq!(
                normalize_keeping_encoded_slash(raw),
                Err(PathError::EncodedDotSegment),
                "{raw}"
            );
        }
        // Everything else refused without the opt-in stays refused with it.
        for (raw, e) in [
            ("/a%5Cb", PathError::EncodedBackslash),
            ("/a%252Fb", PathError::DoubleEncoding),
            ("/a%00b", PathError::ControlChar),
            ("/a/..;/b", PathError::DotSegmentParameter),
        ] {
            assert_eq!(normalize_keeping_encoded_slash(raw), Err(e), "{raw}");
        }
    }

    #[test]
    fn encoded_backslash_is_refused() {
        assert_eq!(
            normalize("/public%5c..%5cadmin"),
            Err(PathError::EncodedBackslash)
        );
        assert_eq!(normalize("/a%5Cb"), Err(PathError::EncodedBackslash));
    }

    #[test]
    fn literal_backslash_is_refused() {
        assert_eq!(normalize("/public\\..\\admin"), Err(PathError::Backslash));
    }

    #[test]
    fn path_parameter_on_dot_segment_is_refused() {
        for raw in [
            "/public/..;/admin",
            "/..;jsessionid=x/a",
            "/a/.;/b",
            "/a/%2e%2e;x/b",
            "/a/..%3Bx/b",
            "/a/..%3b",
        ] {
            assert_eq!(normalize(raw), Err(PathError::DotSegmentParameter), "{raw}");
        }
    }

    #[test]
    fn path_parameter_on_ordinary_segment_is_kept() {
        assert_eq!(ok("/a;v=1/b"), "/a;v=1/b");
        assert_eq!(ok("/...;x"), "/...;x");
    }

    #[test]
    fn empty_segments_are_merged() {
        assert_eq!(ok("//admin"), "/admin");
        assert_eq!(ok("/a///b//"), "/a/b/");
        assert_eq!(ok("//"), "/");
    }

    #[test]
    fn encoded_nul_and_controls_are_refused() {
        for raw in ["/admin%00", "/a%0d%0ab", "/a%09", "/a%7f", "/a%1F"] {
            assert_eq!(normalize(raw), Err(PathError::ControlChar), "{raw}");
        }
    }

    #[test]
    fn literal_controls_are_refused() {
        for raw in ["/admin\0", "/a\tb", "/a\r\nb", "/a\u{7f}"] {
            assert_eq!(normalize(raw), Err(PathError::ControlChar), "{raw:?}");
        }
    }

    #[test]
    fn non_ascii_is_refused() {
        assert_eq!(normalize("/café"), Err(PathError::NonAscii));
        assert_eq!(normalize("/\u{2215}admin"), Err(PathError::NonAscii));
    }

    #[test]
    fn double_encoding_is_refused() {
        assert_eq!(
            normalize("/public/%252e%252e/admin"),
            Err(PathError::DoubleEncoding)
        );
        assert_eq!(normalize("/a%252f"), Err(PathError::DoubleEncoding));
        // Only becomes `%252E` once the unreserved escapes are decoded.
        assert_eq!(normalize("/a%25%32%45"), Err(PathError::DoubleEncoding));
    }

    #[test]
    fn encoded_percent_not_followed_by_hex_is_kept() {
        assert_eq!(ok("/100%25"), "/100%25");
        assert_eq!(ok("/100%25off"), "/100%25off");
    }

    #[test]
    fn malformed_escapes_are_refused() {
        for raw in ["/%", "/%4", "/%zz", "/a%g1", "/%%41", "/%4%"] {
            assert_eq!(normalize(raw), Err(PathError::MalformedPercent), "{raw}");
        }
    }

    #[test]
    fn unreserved_escapes_are_decoded() {
        assert_eq!(ok("/%41pi"), "/Api");
        assert_eq!(ok("/%7e%2D%5f%30"), "/~-_0");
    }

    #[test]
    fn reserved_escapes_are_kept_with_uppercase_hex() {
        assert_eq!(ok("/caf%c3%a9"), "/caf%C3%A9");
        assert_eq!(ok("/a%3fb%23c%20d"), "/a%3Fb%23c%20d");
    }

    #[test]
    fn dot_segment_above_root_is_refused() {
        for raw in ["/..", "/../a", "/a/../..", "/%2e%2e/", "/a/./../../b"] {
            assert_eq!(normalize(raw), Err(PathError::AboveRoot), "{raw}");
        }
    }

    #[test]
    fn relative_or_empty_path_is_refused() {
        for raw in ["", "admin", "../admin", "*", "http://x/"] {
            assert_eq!(normalize(raw), Err(PathError::NotAbsolute), "{raw}");
        }
    }

    #[test]
    fn query_and_fragment_delimiters_are_refused() {
        assert_eq!(normalize("/a?b"), Err(PathError::Delimiter));
        assert_eq!(normalize("/a#b"), Err(PathError::Delimiter));
    }

    #[test]
    fn trailing_slash_is_preserved() {
        assert_eq!(ok("/a/b/"), "/a/b/");
        assert_eq!(ok("/a/b"), "/a/b");
        assert_eq!(ok("/a/."), "/a/");
        assert_eq!(ok("/a/.."), "/");
        assert_eq!(ok("/a/b/.."), "/a/");
        assert_eq!(ok("/"), "/");
    }

    #[test]
    fn prefix_matches_on_segment_boundary_only() {
        assert!(has_prefix("/api", "/api"));
        assert!(has_prefix("/api/x", "/api"));
        assert!(has_prefix("/api/", "/api"));
        assert!(!has_prefix("/apix", "/api"));
        assert!(!has_prefix("/ap", "/api"));
        assert!(!has_prefix("/other/api", "/api"));
    }

    #[test]
    fn prefix_with_trailing_slash_matches_paths_under_it_and_itself_without_the_slash() {
        assert!(has_prefix("/api/", "/api/"));
        assert!(has_prefix("/api/x", "/api/"));
        // nginx-style "/api/" also covers "/api", which most apps serve the same.
        assert!(has_prefix("/api", "/api/"));
        assert!(!has_prefix("/apix/", "/api/"));
    }

    #[test]
    fn root_prefix_matches_every_path() {
        assert!(has_prefix("/", "/"));
        assert!(has_prefix("/anything/at/all", "/"));
    }

    /// Path-shaped input, so that most cases survive validation and exercise the resolver.
    fn path_like() -> impl Strategy<Value = String> {
        let atom = prop_oneof![
            Just("/".to_owned()),
            Just("%2F".to_owned()),
            Just("%2f".to_owned()),
            Just(".".to_owned()),
            Just("..".to_owned()),
            Just(";".to_owned()),
            Just("%2e".to_owned()),
            Just("%25".to_owned()),
            "%[0-9a-fA-F]{2}",
            "[a-zA-Z0-9_~-]{1,3}",
            "[!$&'()*+,=:@.]{1,2}",
        ];
        prop::collection::vec(atom, 0..24).prop_map(|atoms| format!("/{}", atoms.concat()))
    }

    proptest! {
        #[test]
        fn normalize_never_panics_on_arbitrary_strings(raw in any::<String>()) {
            let _ = normalize(&raw);
        }

        #[test]
        fn normalize_is_idempotent(raw in path_like()) {
            if let Ok(once) = normalize(&raw) {
                prop_assert_eq!(normalize(&once), Ok(once.clone()));
            }
        }

        #[test]
        fn normalized_output_has_no_ambiguous_sequences(raw in path_like()) {
            if let Ok(out) = normalize(&raw) {
                prop_assert!(out.starts_with('/'));
                prop_assert!(out.is_ascii());
                for bad in ["//", "/./", "/../", "\\"] {
                    prop_assert!(!out.contains(bad), "{:?} -> {:?} contains {:?}", raw, out, bad);
                }
                prop_assert!(!out.ends_with("/.") && !out.ends_with("/.."));
            }
        }

        #[test]
        fn the_plain_path_shortcut_agrees_with_the_general_rules(raw in path_like()) {
            if is_plain(&raw) {
                prop_assert_eq!(normalize_general(&raw, EncodedSlash::Refuse), Ok(raw.clone()));
            }
        }

        #[test]
        fn keeping_encoded_slashes_accepts_every_path_normalize_accepts_and_is_idempotent(raw in path_like()) {
            if let Ok(plain) = normalize(&raw) {
                prop_assert_eq!(normalize_keeping_encoded_slash(&raw), Ok(plain));
            }
            if let Ok(once) = normalize_keeping_encoded_slash(&raw) {
                prop_assert_eq!(normalize_keeping_encoded_slash(&once), Ok(once.clone()));
            }
        }

        #[test]
        fn a_backend_that_decodes_encoded_slashes_stays_under_the_segments_the_gateway_matched(raw in path_like()) {
            if let Ok(kept) = normalize_keeping_encoded_slash(&raw) {
                // The segments before the first one holding %2F are what a location matched on.
                let matched: Vec<&str> = kept
                    .split('/')
                    .take_while(|seg| !seg.contains(ENCODED_SLASH))
                    .collect();
                let prefix = matched.join("/");
                // A backend decodes %2F, then resolves dot segments and merges slashes.
                if let Ok(seen) = normalize(&kept.replace(ENCODED_SLASH, "/")) {
                    prop_assert!(
                        has_prefix(&seen, if prefix.is_empty() { "/" } else { &prefix }),
                        "{:?} kept as {:?} reaches {:?} outside {:?}", raw, kept, seen, prefix
                    );
                }
            }
        }

        #[test]
        fn has_prefix_never_panics(path in any::<String>(), prefix in any::<String>()) {
            let _ = has_prefix(&path, &prefix);
        }
    }
}

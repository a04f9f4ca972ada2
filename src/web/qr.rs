//! QR codes as inline SVG, for the TOTP enrolment page (the `otpauth://` URI).
//!
//! Rendered here rather than with the crate's SVG renderer so the element has no XML prolog,
//! carries `role="img"` and an `aria-label`, and has only a `viewBox` (CSS sets the size).

use std::fmt::Write;

use qrcode::{Color, QrCode};

#[derive(Debug, thiserror::Error)]
#[error("cannot encode as a QR code: {0}")]
pub struct QrError(#[from] qrcode::types::QrError);

/// Light modules around the code; ISO/IEC 18004 asks for four.
const QUIET_ZONE: usize = 4;

/// The QR code of `data` as an inline SVG element (no XML prolog), with role="img" and an
/// The accessible name of the enrolment QR code.
pub const LABEL: &str = "QR code for your authenticator app";

/// aria-label, sized via viewBox so CSS can scale it.
pub fn svg(data: &str, label: &str) -> Result<String, QrError> {
    let code = QrCode::new(data.as_bytes())?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET_ZONE;

    let mut path = String::new();
    for (y, row) in colors.chunks(width.max(1)).enumerate() {
        // One horizontal run of dark modules per path segment keeps the markup small.
        let mut x = 0;
        while x < row.len() {
            if row[x] == Color::Dark {
                let start = x;
                while x < row.len() && row[x] == Color::Dark {
                    x += 1;
                }
                // Writing to a String cannot fail.
                let _ = write!(
                    path,
                    "M{},{}h{}v1h-{}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }

    Ok(format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {s} {s}" role="img" "#,
            r#"aria-label="{label}" shape-rendering="crispEdges">"#,
            r##"<rect width="{s}" height="{s}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
        ),
        s = size,
        label = escape(label),
        path = path,
    ))
}

/// Escapes text for an XML attribute value.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str =
        "otpauth://totp/Acme:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme";

    #[test]
    fn renders_an_inline_svg_element_with_a_viewbox_and_label() {
        let out = svg(URI, "Scan with your authenticator app").unwrap();
        assert!(out.starts_with("<svg"), "{out}");
        assert!(out.ends_with("</svg>"));
        assert!(out.contains("viewBox=\"0 0 "));
        assert!(out.contains(r#"role="img""#));
        assert!(out.contains(r#"aria-label="Scan with your authenticator app""#));
        assert!(!out.contains("<?xml") && !out.contains("width=\"1") && out.contains("M4,4h7"));
    }

    #[test]
    fn the_same_input_renders_the_same_svg() {
        assert_eq!(svg(URI, "qr").unwrap(), svg(URI, "qr").unwrap());
        assert_ne!(svg(URI, "qr").unwrap(), svg("other", "qr").unwrap());
    }

    #[test]
    fn the_label_is_escaped() {
        let out = svg("x", r#""><script>alert('x')</script>&"#).unwrap();
        assert!(!out.contains("<script"), "{out}");
        assert!(out.contains("&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"));
    }

    #[test]
    fn data_too_long_is_an_error_not_a_panic() {
        assert!(svg(&"a".repeat(5000), "qr").is_err());
        assert!(svg("", "").is_ok());
    }
}

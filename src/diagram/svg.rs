//! [`Diagram`] → SVG text, with fixed number precision so the bytes never vary.

use std::fmt::Write as _;

use super::font::{FAMILY, Weight};
use super::{Anchor, Diagram, Shape};
use crate::html::{escape, escape_into};

/// Writes a number with at most one decimal, no trailing zeros.
pub fn num(v: f32) -> String {
    Num(v).to_string()
}

/// A number as [`num`] writes it, formatted in place (a diagram writes thousands).
#[derive(Clone, Copy)]
pub struct Num(pub f32);

impl Num {
    /// Writes the number into `out` (as its `Display` does, without the formatting
    /// machinery: a diagram writes thousands of numbers).
    pub fn push_to(self, out: &mut String) {
        out.push_str(self.text(&mut [0; 24]));
    }

    /// The number's text, made in `buf`.
    fn text(self, buf: &mut [u8; 24]) -> &str {
        // Tenths, rounded half away from zero; `-0.04` is `0`, `-0.3` is `-0.3`.
        let tenths = (self.0 * 10.0).round() as i64;
        let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
        let mut at = buf.len();
        if tenth != 0 {
            buf[at - 1] = b'0' + tenth as u8;
            buf[at - 2] = b'.';
            at -= 2;
        }
        let mut rest = whole;
        loop {
            at -= 1;
            buf[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if tenths < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        // Only ASCII digits, `.` and `-` were written.
        std::str::from_utf8(&buf[at..]).unwrap_or("0")
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text(&mut [0; 24]))
    }
}

/// Writes ` name="value"` with a number.
fn attr_num(out: &mut String, name: &str, value: f32) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    Num(value).push_to(out);
    out.push('"');
}

/// Writes ` name="value"` for each pair, with numbers.
fn attr_nums(out: &mut String, pairs: &[(&str, f32)]) {
    for &(name, value) in pairs {
        attr_num(out, name, value);
    }
}

/// Writes ` name="value"` with text cxmap chose (a class, a colour): never escaped.
fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    out.push_str(value);
    out.push('"');
}

/// The SVG element, ready to inline in HTML or save as a file.
pub fn write(d: &Diagram) -> String {
    let p = &d.id_prefix;
    let mut out = String::with_capacity(4096 + d.shapes.len() * 160);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{p}title {p}desc\" font-family=\"{FAMILY}, sans-serif\">",
        class = d.class,
        w = Num(d.width),
        h = Num(d.height),
    );
    let _ = write!(out, "<title id=\"{p}title\">{}</title>", escape(&d.title));
    let _ = write!(out, "<desc id=\"{p}desc\">{}</desc>", escape(&d.desc));
    for shape in &d.shapes {
        out.push('\n');
        shape_into(shape, &mut out);
    }
    out.push_str("\n</svg>");
    out
}

fn shape_into(shape: &Shape, out: &mut String) {
    match shape {
        Shape::Rect {
            x,
            y,
            w,
            h,
            rx,
            class,
            fill,
            stroke,
        } => {
            out.push_str("<rect");
            attr(out, "class", class);
            attr_nums(
                out,
                &[
                    ("x", *x),
                    ("y", *y),
                    ("width", *w),
                    ("height", *h),
                    ("rx", *rx),
                ],
            );
            attr(out, "fill", fill);
            if let Some(s) = stroke {
                attr(out, "stroke", s);
            }
            out.push_str("/>");
        }
        Shape::Text {
            x,
            y,
            lines,
            size,
            weight,
            anchor,
            class,
            fill,
        } => {
            out.push_str("<text");
            attr(out, "class", class);
            attr_nums(out, &[("x", *x), ("y", *y), ("font-size", *size)]);
            attr(out, "fill", fill);
            if *weight == Weight::SemiBold {
                out.push_str(" font-weight=\"600\"");
            }
            match anchor {
                Anchor::Start => {}
                Anchor::Middle => out.push_str(" text-anchor=\"middle\""),
                Anchor::End => out.push_str(" text-anchor=\"end\""),
            }
            out.push('>');
            let line_height = super::line_height(*size);
            for (i, line) in lines.iter().enumerate() {
                if lines.len() == 1 {
                    escape_into(line, out);
                } else {
                    out.push_str("<tspan");
                    attr_num(out, "x", *x);
                    attr_num(out, "dy", if i == 0 { 0.0 } else { line_height });
                    out.push('>');
                    escape_into(line, out);
                    out.push_str("</tspan>");
                }
            }
            out.push_str("</text>");
        }
        Shape::Line {
            x1,
            y1,
            x2,
            y2,
            class,
            stroke,
            dashed,
        } => {
            out.push_str("<line");
            attr(out, "class", class);
            attr_nums(out, &[("x1", *x1), ("y1", *y1), ("x2", *x2), ("y2", *y2)]);
            attr(out, "stroke", stroke);
            if *dashed {
                out.push_str(" stroke-dasharray=\"6 4\"");
            }
            out.push_str("/>");
        }
        Shape::Polyline {
            points,
            class,
            stroke,
        } => {
            let pts: Vec<String> = points
                .iter()
                .map(|(x, y)| format!("{},{}", Num(*x), Num(*y)))
                .collect();
            let _ = write!(
                out,
                "<polyline class=\"{class}\" points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>",
                pts.join(" ")
            );
        }
        Shape::Series {
            points,
            class,
            stroke,
            width,
            dash,
        } => {
            let pts: Vec<String> = points
                .iter()
                .map(|(x, y)| format!("{},{}", Num(*x), Num(*y)))
                .collect();
            let _ = write!(
                out,
                "<polyline class=\"{class}\" points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{}\" stroke-linejoin=\"round\"",
                pts.join(" "),
                Num(*width)
            );
            if let Some(dash) = dash {
                let _ = write!(out, " stroke-dasharray=\"{dash}\"");
            }
            out.push_str("/>");
        }
        Shape::Circle {
            cx,
            cy,
            r,
            class,
            fill,
            stroke,
        } => {
            out.push_str("<circle");
            attr(out, "class", class);
            attr_nums(out, &[("cx", *cx), ("cy", *cy), ("r", *r)]);
            attr(out, "fill", fill);
            attr(out, "stroke", stroke);
            out.push_str(" stroke-width=\"2\"/>");
        }
        Shape::Dots {
            points,
            r,
            class,
            colour,
        } => {
            // Each dot: move to its left edge, then two half-circle arcs.
            let mut d = String::with_capacity(points.len() * 32);
            let (radius, across) = (Num(*r), Num(2.0 * r));
            for (x, y) in points {
                let _ = write!(
                    d,
                    "M{},{}a{radius},{radius} 0 1,0 {across},0a{radius},{radius} 0 1,0 -{across},0",
                    Num(x - r),
                    Num(*y)
                );
            }
            let _ = write!(
                out,
                "<path class=\"{class}\" d=\"{d}\" fill=\"{colour}\" stroke=\"{colour}\" stroke-width=\"2\"/>"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_rounding_and_formatting_would() {
        let reference = |v: f32| {
            let r = (v * 10.0).round() / 10.0;
            if r == r.trunc() {
                format!("{}", r as i64)
            } else {
                format!("{r:.1}")
            }
        };
        for i in -30_000..30_000 {
            for v in [i as f32 * 0.37, i as f32 * 0.05 + 0.049, i as f32 * 13.7] {
                assert_eq!(num(v), reference(v), "{v}");
            }
        }
    }

    #[test]
    fn numbers_have_fixed_precision() {
        assert_eq!(num(-0.3), "-0.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-12.25), "-12.3");
        assert_eq!(num(99.96), "100");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(0.05), "0.1");
        assert_eq!(num(-3.0), "-3");
    }
}

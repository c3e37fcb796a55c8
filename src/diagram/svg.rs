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

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tenths, rounded half away from zero; `-0.04` is `0`, `-0.3` is `-0.3`.
        let tenths = (self.0 * 10.0).round() as i64;
        let (whole, tenth) = (tenths.abs() / 10, tenths.abs() % 10);
        let sign = if tenths < 0 { "-" } else { "" };
        if tenth == 0 {
            write!(f, "{sign}{whole}")
        } else {
            write!(f, "{sign}{whole}.{tenth}")
        }
    }
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
            let _ = write!(
                out,
                "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{fill}\"",
                Num(*x),
                Num(*y),
                Num(*w),
                Num(*h),
                Num(*rx)
            );
            if let Some(s) = stroke {
                let _ = write!(out, " stroke=\"{s}\"");
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
            let _ = write!(
                out,
                "<text class=\"{class}\" x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{fill}\"",
                Num(*x),
                Num(*y),
                Num(*size)
            );
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
                    let dy = Num(if i == 0 { 0.0 } else { line_height });
                    let _ = write!(out, "<tspan x=\"{}\" dy=\"{dy}\">", Num(*x));
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
            let _ = write!(
                out,
                "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\"",
                Num(*x1),
                Num(*y1),
                Num(*x2),
                Num(*y2)
            );
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
            let _ = write!(
                out,
                "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"/>",
                Num(*cx),
                Num(*cy),
                Num(*r)
            );
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

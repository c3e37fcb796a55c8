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

/// Writes one shape as its SVG element.
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
        } => rect_into(out, class, [*x, *y, *w, *h, *rx], fill, stroke.as_deref()),
        Shape::Text {
            x,
            y,
            lines,
            size,
            weight,
            anchor,
            class,
            fill,
        } => text_into(out, class, (*x, *y, *size), fill, (*weight, *anchor), lines),
        Shape::Line {
            x1,
            y1,
            x2,
            y2,
            class,
            stroke,
            dashed,
        } => line_into(out, class, [*x1, *y1, *x2, *y2], stroke, *dashed),
        Shape::Polyline {
            points,
            class,
            stroke,
        } => polyline_into(out, class, points, stroke),
        Shape::Series {
            points,
            class,
            stroke,
            width,
            dash,
        } => series_into(out, class, points, stroke, *width, *dash),
        Shape::Circle {
            cx,
            cy,
            r,
            class,
            fill,
            stroke,
        } => circle_into(out, class, [*cx, *cy, *r], fill, stroke),
        Shape::Dots {
            points,
            r,
            class,
            colour,
        } => dots_into(out, class, points, *r, colour),
    }
}

/// A `<rect>`: class, position and size (`x`, `y`, `width`, `height`, `rx`), fill and
/// the stroke when it has one.
fn rect_into(out: &mut String, class: &str, box_: [f32; 5], fill: &str, stroke: Option<&str>) {
    let [x, y, w, h, rx] = box_;
    out.push_str("<rect");
    attr(out, "class", class);
    attr_nums(
        out,
        &[("x", x), ("y", y), ("width", w), ("height", h), ("rx", rx)],
    );
    attr(out, "fill", fill);
    if let Some(s) = stroke {
        attr(out, "stroke", s);
    }
    out.push_str("/>");
}

/// A `<text>` at (`x`, `y`) in `size`: the weight and anchor only when they are not the
/// default, one line as the element's text, several as `<tspan>`s a line height apart.
fn text_into(
    out: &mut String,
    class: &str,
    (x, y, size): (f32, f32, f32),
    fill: &str,
    (weight, anchor): (Weight, Anchor),
    lines: &[String],
) {
    out.push_str("<text");
    attr(out, "class", class);
    attr_nums(out, &[("x", x), ("y", y), ("font-size", size)]);
    attr(out, "fill", fill);
    if weight == Weight::SemiBold {
        out.push_str(" font-weight=\"600\"");
    }
    match anchor {
        Anchor::Start => {}
        Anchor::Middle => out.push_str(" text-anchor=\"middle\""),
        Anchor::End => out.push_str(" text-anchor=\"end\""),
    }
    out.push('>');
    let line_height = super::line_height(size);
    for (i, line) in lines.iter().enumerate() {
        if lines.len() == 1 {
            escape_into(line, out);
        } else {
            out.push_str("<tspan");
            attr_num(out, "x", x);
            attr_num(out, "dy", if i == 0 { 0.0 } else { line_height });
            out.push('>');
            escape_into(line, out);
            out.push_str("</tspan>");
        }
    }
    out.push_str("</text>");
}

/// A `<line>` from (`x1`, `y1`) to (`x2`, `y2`), dashed or solid.
fn line_into(out: &mut String, class: &str, ends: [f32; 4], stroke: &str, dashed: bool) {
    let [x1, y1, x2, y2] = ends;
    out.push_str("<line");
    attr(out, "class", class);
    attr_nums(out, &[("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)]);
    attr(out, "stroke", stroke);
    if dashed {
        out.push_str(" stroke-dasharray=\"6 4\"");
    }
    out.push_str("/>");
}

/// The `points` attribute's value: `x,y` pairs separated by spaces.
fn points_text(points: &[(f32, f32)]) -> String {
    let pts: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{},{}", Num(*x), Num(*y)))
        .collect();
    pts.join(" ")
}

/// A `<polyline>` of the emotion curve's kind: unfilled, 2.5 wide, round joins.
fn polyline_into(out: &mut String, class: &str, points: &[(f32, f32)], stroke: &str) {
    let _ = write!(
        out,
        "<polyline class=\"{class}\" points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>",
        points_text(points)
    );
}

/// A `<polyline>` of one series: unfilled, round joins, its own width and dash pattern.
fn series_into(
    out: &mut String,
    class: &str,
    points: &[(f32, f32)],
    stroke: &str,
    width: f32,
    dash: Option<&str>,
) {
    let _ = write!(
        out,
        "<polyline class=\"{class}\" points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{}\" stroke-linejoin=\"round\"",
        points_text(points),
        Num(width)
    );
    if let Some(dash) = dash {
        let _ = write!(out, " stroke-dasharray=\"{dash}\"");
    }
    out.push_str("/>");
}

/// A `<circle>` at (`cx`, `cy`) of radius `r`, stroked 2 wide.
fn circle_into(out: &mut String, class: &str, circle: [f32; 3], fill: &str, stroke: &str) {
    let [cx, cy, r] = circle;
    out.push_str("<circle");
    attr(out, "class", class);
    attr_nums(out, &[("cx", cx), ("cy", cy), ("r", r)]);
    attr(out, "fill", fill);
    attr(out, "stroke", stroke);
    out.push_str(" stroke-width=\"2\"/>");
}

/// Many dots of one colour as a single `<path>`.
fn dots_into(out: &mut String, class: &str, points: &[(f32, f32)], r: f32, colour: &str) {
    // Each dot: move to its left edge, then two half-circle arcs.
    let mut d = String::with_capacity(points.len() * 32);
    let (radius, across) = (Num(r), Num(2.0 * r));
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

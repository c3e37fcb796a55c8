//! Site → output files: a typed view model per page kind, rendered with the theme's
//! Tera templates, in parallel, in a fixed order.
//!
//! Every link is relative (`root` is `../` per level), so the site works under any
//! sub-path and from any static server. Only `sitemap.xml` and canonical URLs use
//! `base_url`.

pub mod incremental;
pub mod portfolio;
pub mod search;
pub mod theme;
pub mod views;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::diagram;
use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::Site;
use crate::write::{Contents, OutputFile};
use portfolio::Portfolio;
use theme::Theme;
use views::{Base, SiteView};

/// What `data/journeys.json` promises; raise it when a field changes meaning.
pub const DATA_SCHEMA_VERSION: u32 = 1;

/// One page to render: its output folder (`""` for the root) and what it shows.
enum Job<'a> {
    Home,
    Journeys,
    Journey(&'a crate::model::Journey),
    Personas,
    Persona(&'a crate::model::Persona),
    Channels,
    Channel(&'a portfolio::ChannelPage<'a>),
    Pains,
    Opportunities,
    Tags,
    Tag(&'a portfolio::TagPage),
    Page(&'a crate::model::Page),
    Search,
    Changes,
    NotFound,
}

impl Job<'_> {
    /// The path of the page, which names the job in [`Parts`].
    fn key(&self) -> String {
        match self {
            Job::NotFound => "404.html".into(),
            _ => format!("{}index.html", self.dir()),
        }
    }

    /// Output folder, `/`-terminated, `""` for the root.
    fn dir(&self) -> String {
        match self {
            Job::Home | Job::NotFound => String::new(),
            Job::Journeys => "journeys/".into(),
            Job::Journey(j) => format!("journeys/{}/", j.id.0),
            Job::Personas => "personas/".into(),
            Job::Channels => "channels/".into(),
            Job::Persona(p) => format!("personas/{}/", p.id.0),
            Job::Channel(c) => format!("channels/{}/", c.slug),
            Job::Pains => "pains/".into(),
            Job::Opportunities => "opportunities/".into(),
            Job::Tags => "tags/".into(),
            Job::Tag(t) => format!("tags/{}/", t.summary.slug),
            Job::Page(p) => format!("{}/", p.id),
            Job::Search => "search/".into(),
            Job::Changes => "changes/".into(),
        }
    }
}

/// Renders the whole site into memory.
pub fn site(site: &Site, sources: &Sources, diags: &mut Diagnostics) -> Result<Vec<OutputFile>> {
    let theme = theme::load(sources, &site.config, diags)?;
    let parts = parts(site, sources, &theme, &|_| true, diags)?;
    let mut files: Vec<OutputFile> = parts.files.into_iter().flat_map(|(_, f)| f).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Where rendered files go as soon as they are made: [`site_into`] hands each page
/// (with its map or index) to it from the thread that rendered it.
pub type Emit<'e> = dyn Fn(&[OutputFile]) -> Result<()> + Sync + 'e;

/// Renders the whole site, handing the files to `emit` as they are made instead of
/// keeping them: a build holds only the pages being rendered, not the whole output.
pub fn site_into(
    site: &Site,
    sources: &Sources,
    emit: &Emit<'_>,
    diags: &mut Diagnostics,
) -> Result<()> {
    let theme = theme::load(sources, &site.config, diags)?;
    render_parts(site, sources, &theme, &|_| true, Some(emit), diags)?;
    Ok(())
}

/// Makes the bytes of a data file (`data/journeys.json`, a CSV, the sitemap).
type MakeData<'a> = dyn Fn() -> Result<Vec<u8>> + Sync + 'a;

/// The key of the group of theme assets and static files in [`Parts`].
pub const STATIC_KEY: &str = "static files";

/// The parts of a site that were asked for (see [`parts`]).
pub struct Parts {
    /// Every part the site has, asked for or not, sorted: the path of each page
    /// (`journeys/x/index.html`, `404.html`), of each data file (`data/journeys.json`,
    /// `sitemap.xml`…), and [`STATIC_KEY`] for theme assets and static files.
    pub keys: Vec<String>,
    /// The parts asked for, by key, with the files each makes (a journey page also
    /// makes its `map.svg`, the search page its index).
    pub files: Vec<(String, Vec<OutputFile>)>,
}

/// Renders the parts of the site whose key `select` accepts; the one list of what a
/// site has, for [`site`] (everything) and for `serve` (what an edit changed).
///
/// Each language has its own tree of pages (the site's language at the root, another
/// under `<lang>/`): a journey, persona or free page only in the languages it is
/// written in, the pages that gather content in every language. The 404 page and the
/// static files are shared, at the root.
///
/// Static files give way to generated files of the same path (with a warning in
/// `diags`); that check sees only the generated files rendered in the same call.
pub fn parts(
    site: &Site,
    sources: &Sources,
    theme: &Theme,
    select: &(dyn Fn(&str) -> bool + Sync),
    diags: &mut Diagnostics,
) -> Result<Parts> {
    render_parts(site, sources, theme, select, None, diags)
}

/// [`parts`], with the files handed to `emit` when there is one (their keys still
/// listed, their lists in [`Parts::files`] left empty).
fn render_parts(
    site: &Site,
    sources: &Sources,
    theme: &Theme,
    select: &(dyn Fn(&str) -> bool + Sync),
    emit: Option<&Emit<'_>>,
    diags: &mut Diagnostics,
) -> Result<Parts> {
    let strips = Lang::strips(site, theme);
    let langs = Lang::all(site, &strips, theme);
    // A journey's card is on its own page, the overview, the journey list, and its
    // tag and persona pages: its strip is drawn once, here, outside the page jobs.
    // Then every language's portfolio is gathered (the job list needs its channels
    // and tags); the languages side by side.
    langs.par_iter().for_each(|lang| {
        lang.labels.draw_all(lang.site);
        lang.gathered.get();
    });
    let mut jobs: Vec<(&Lang<'_>, Job<'_>)> = Vec::new();
    for lang in &langs {
        let ls = lang.site;
        let portfolio = lang.gathered.get();
        let mut own: Vec<Job<'_>> = vec![
            Job::Home,
            Job::Journeys,
            Job::Personas,
            Job::Channels,
            Job::Pains,
            Job::Opportunities,
            Job::Tags,
            Job::Search,
        ];
        if lang.prefix.is_empty() {
            own.push(Job::NotFound);
        }
        if ls.recent.is_some() {
            own.push(Job::Changes);
        }
        let here = |l: &str| l == ls.lang;
        own.extend(
            ls.journeys
                .iter()
                .filter(|j| here(&j.lang))
                .map(Job::Journey),
        );
        own.extend(
            ls.personas
                .iter()
                .filter(|p| here(&p.lang))
                .map(Job::Persona),
        );
        own.extend(portfolio.channels.iter().map(Job::Channel));
        own.extend(portfolio.tag_pages.iter().map(Job::Tag));
        own.extend(ls.pages.iter().filter(|p| here(&p.lang)).map(Job::Page));
        jobs.extend(own.into_iter().map(|job| (lang, job)));
    }

    let mut keys: Vec<String> = jobs
        .iter()
        .map(|(lang, job)| format!("{}{}", lang.prefix, job.key()))
        .collect();
    let all_keys: std::collections::BTreeSet<&str> = keys.iter().map(String::as_str).collect();
    let chosen: Vec<(String, &(&Lang<'_>, Job<'_>))> = jobs
        .iter()
        .zip(&keys)
        .filter(|(_, key)| select(key))
        .map(|(job, key)| (key.clone(), job))
        .collect();
    // With an `emit`, a page's files leave as soon as it is rendered; only their
    // paths stay, for the check of static files below.
    let hand_over = |made: Vec<OutputFile>| -> Result<(Vec<OutputFile>, Vec<String>)> {
        match emit {
            Some(emit) => {
                emit(&made)?;
                Ok((Vec::new(), made.into_iter().map(|f| f.path).collect()))
            }
            None => Ok((made, Vec::new())),
        }
    };
    let rendered: Vec<Result<(Vec<OutputFile>, Vec<String>)>> = chosen
        .par_iter()
        .map(|(_, (lang, job))| {
            let alternates = alternates(site, &langs, lang, job, &all_keys);
            hand_over(render_job(job, lang, alternates, theme)?)
        })
        .collect();
    let mut files = Vec::new();
    let mut emitted: Vec<String> = Vec::new();
    for ((key, _), r) in chosen.into_iter().zip(rendered) {
        let (kept, paths) = r?;
        files.push((key, kept));
        emitted.extend(paths);
    }

    // The data files, each made on a core of its own.
    let mut wanted: Vec<(String, Box<MakeData<'_>>)> = Vec::new();
    if let Some(base) = &site.config.base_url {
        let jobs = &jobs;
        wanted.push((
            "sitemap.xml".into(),
            Box::new(move || {
                let urls: Vec<String> = jobs
                    .iter()
                    .filter(|(_, j)| !matches!(j, Job::NotFound | Job::Search))
                    .map(|(lang, j)| format!("{base}{}{}", lang.prefix, j.dir()))
                    .collect();
                let mut ctx = tera::Context::new();
                ctx.insert("urls", &urls);
                Ok(render(theme, "sitemap.xml", &ctx)?.into_bytes())
            }),
        ));
    }
    for lang in &langs {
        let prefix = &lang.prefix;
        wanted.push((
            format!("{prefix}data/journeys.json"),
            Box::new(move || Ok(data_json(lang.site))),
        ));
        wanted.push((
            format!("{prefix}{}", portfolio::PAINS_CSV),
            Box::new(move || portfolio::pains_csv(&lang.gathered.get().pains)),
        ));
        wanted.push((
            format!("{prefix}{}", portfolio::OPPORTUNITIES_CSV),
            Box::new(move || portfolio::opportunities_csv(&lang.gathered.get().opportunities)),
        ));
    }
    keys.extend(wanted.iter().map(|(key, _)| key.clone()));
    let chosen_data: Vec<&(String, Box<MakeData<'_>>)> =
        wanted.iter().filter(|(key, _)| select(key)).collect();
    let made: Vec<Result<(Vec<OutputFile>, Vec<String>)>> = chosen_data
        .par_iter()
        .map(|(key, make)| hand_over(vec![OutputFile::bytes(key.clone(), make()?)]))
        .collect();
    for ((key, _), r) in chosen_data.into_iter().zip(made) {
        let (kept, paths) = r?;
        files.push((key.clone(), kept));
        emitted.extend(paths);
    }

    keys.push(STATIC_KEY.to_string());
    if select(STATIC_KEY) {
        // Generated pages and data win over a static file of the same name; a static
        // file may replace a theme asset (that is how a site restyles
        // `assets/style.css`).
        let generated: std::collections::BTreeSet<&str> = files
            .iter()
            .flat_map(|(_, f)| f.iter().map(|f| f.path.as_str()))
            .chain(emitted.iter().map(String::as_str))
            .collect();
        let mut assets: Vec<OutputFile> = theme
            .assets
            .iter()
            .map(|(path, bytes)| OutputFile::bytes(format!("assets/{path}"), bytes.clone()))
            .collect();
        for s in &sources.static_files {
            if generated.contains(s.rel.as_str()) {
                diags.push(
                    Diagnostic::warning(format!("static/{}", s.rel), format!("`{}` is a page cxmap generates; this file is not copied", s.rel))
                        .help("rename or move the file; to change a page, override its template in `templates/`"),
                );
                continue;
            }
            assets.retain(|a| a.path != s.rel);
            assets.push(OutputFile {
                path: s.rel.clone(),
                contents: Contents::Copy(s.abs.clone()),
            });
        }
        let (kept, paths) = hand_over(assets)?;
        files.push((STATIC_KEY.to_string(), kept));
        emitted.extend(paths);
    }
    keys.sort();
    Ok(Parts { keys, files })
}

/// What every page of one language shares.
struct Lang<'a> {
    /// The site in this language.
    site: &'a Site,
    /// Its output folder: `""` or `es/`.
    prefix: String,
    /// The site as templates see it (`site`), made once: Tera 2 values are shared, not
    /// copied, by every page's context.
    view: tera::Value,
    gathered: Gathered<'a>,
    /// The words of diagrams, and the card strips (drawn once).
    labels: &'a views::CardStrips,
    /// The strings, as templates see them (`t`).
    strings: tera::Value,
}

impl<'a> Lang<'a> {
    /// The words of `cxmap diff` statements in this language.
    fn words(&self) -> crate::diff::Words {
        self.gathered.strings.change_words(&self.site.lang)
    }

    fn new(site: &Site, ls: &'a Site, strips: &'a views::CardStrips, theme: &'a Theme) -> Self {
        Lang {
            site: ls,
            prefix: site.lang_dir(&ls.lang),
            view: tera::Value::from_serializable(&SiteView::new(ls, &theme.strings)),
            gathered: Gathered::new(ls, &theme.strings, strips),
            labels: strips,
            strings: theme.strings.value(&ls.lang),
        }
    }

    /// Every language of `site`, with the diagram words and card strips of each (from
    /// [`Lang::strips`]).
    fn all(site: &'a Site, strips: &'a [views::CardStrips], theme: &'a Theme) -> Vec<Self> {
        site.languages()
            .zip(strips)
            .map(|(ls, st)| Lang::new(site, ls, st, theme))
            .collect()
    }

    /// The diagram words of every language of `site`, each with room for its card
    /// strips.
    fn strips(site: &Site, theme: &Theme) -> Vec<views::CardStrips> {
        site.languages()
            .map(|ls| views::CardStrips::new(theme.strings.labels(&ls.lang)))
            .collect()
    }
}

/// The page of `job` in every language, for the switcher: the same page where it
/// exists, else that language's home page. Empty for a site with one language.
fn alternates(
    site: &Site,
    langs: &[Lang<'_>],
    lang: &Lang<'_>,
    job: &Job<'_>,
    keys: &std::collections::BTreeSet<&str>,
) -> Vec<views::Alternate> {
    if langs.len() < 2 || matches!(job, Job::NotFound) {
        return Vec::new();
    }
    let dir = job.dir();
    let top = "../".repeat(dir.matches('/').count() + lang.prefix.matches('/').count());
    langs
        .iter()
        .map(|other| {
            let key = format!("{}{}", other.prefix, job.key());
            let exists = keys.contains(key.as_str());
            let target = if exists {
                format!("{}{dir}", other.prefix)
            } else {
                other.prefix.clone()
            };
            views::Alternate {
                lang: other.site.lang.clone(),
                name: other
                    .strings
                    .get_from_path("language.name")
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_else(|| other.site.lang.clone()),
                url: format!("{top}{target}index.html"),
                absolute_url: site
                    .config
                    .base_url
                    .as_ref()
                    .filter(|_| exists)
                    .map(|b| format!("{b}{target}")),
                exists,
                current: other.site.lang == lang.site.lang,
            }
        })
        .collect()
}

/// Renders the pages of the journeys `ids` (with their maps) in every language they
/// are written in, and nothing else: not the pages that gather every journey. `serve`
/// shows an edited journey with it first and renders the rest after. Keys and files as
/// in [`Parts::files`]; an id that is not in the site is skipped.
pub fn journey_pages(
    site: &Site,
    theme: &Theme,
    ids: &[&crate::model::JourneyId],
) -> Result<Vec<(String, Vec<OutputFile>)>> {
    let strips = Lang::strips(site, theme);
    let langs = Lang::all(site, &strips, theme);
    // The language switcher only asks which languages have the same journey page.
    let pages: Vec<String> = langs
        .iter()
        .flat_map(|lang| {
            lang.site
                .journeys
                .iter()
                .filter(|j| j.lang == lang.site.lang)
                .map(|j| format!("{}{}", lang.prefix, Job::Journey(j).key()))
        })
        .collect();
    let keys: std::collections::BTreeSet<&str> = pages.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for lang in &langs {
        for id in ids {
            let Some(j) = lang.site.journey(id).filter(|j| j.lang == lang.site.lang) else {
                continue;
            };
            let job = Job::Journey(j);
            let alternates = alternates(site, &langs, lang, &job, &keys);
            let files = render_job(&job, lang, alternates, theme)?;
            out.push((format!("{}{}", lang.prefix, job.key()), files));
        }
    }
    Ok(out)
}

/// The portfolio, gathered the first time a page asks for it.
struct Gathered<'a> {
    site: &'a Site,
    strings: &'a crate::i18n::Strings,
    strips: &'a views::CardStrips,
    cell: std::sync::OnceLock<Portfolio<'a>>,
}

impl<'a> Gathered<'a> {
    fn new(
        site: &'a Site,
        strings: &'a crate::i18n::Strings,
        strips: &'a views::CardStrips,
    ) -> Self {
        Gathered {
            site,
            strings,
            strips,
            cell: std::sync::OnceLock::new(),
        }
    }

    fn get(&self) -> &Portfolio<'a> {
        self.cell
            .get_or_init(|| portfolio::gather(self.site, self.strings, self.strips))
    }
}

fn render_job(
    job: &Job<'_>,
    lang: &Lang<'_>,
    alternates: Vec<views::Alternate>,
    theme: &Theme,
) -> Result<Vec<OutputFile>> {
    let site = lang.site;
    let labels = lang.labels;
    let gathered = &lang.gathered;
    let dir = job.dir();
    let mut base = Base::new(site, &lang.prefix, &dir);
    base.languages = alternates;
    if matches!(job, Job::NotFound) {
        // A server returns the 404 page at any depth, where relative links break. With
        // a `base_url` its links start from that URL's path; without one they stay
        // relative, right for missing pages at the top of the site.
        base.canonical_url = None;
        base.nav_current.clear();
        if let Some(url) = &site.config.base_url {
            base.root = url_path(url);
            base.top = base.root.clone();
        }
    }
    let out_dir = format!("{}{dir}", lang.prefix);
    let mut ctx = tera::Context::new();
    let mut extra = Vec::new();
    let template = match job {
        Job::Home => {
            ctx.insert("home", &views::home(site, labels));
            "index.html"
        }
        Job::Journeys => {
            ctx.insert(
                "journeys",
                &site
                    .journeys
                    .iter()
                    .map(|j| views::JourneyCard::new(site, j, labels))
                    .collect::<Vec<_>>(),
            );
            "journeys.html"
        }
        Job::Journey(j) => {
            let d = diagram::journey(j, &site.config, labels);
            let svg = d.as_ref().map(diagram::svg::write);
            if let Some(svg) = &svg {
                let standalone = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n");
                extra.push(OutputFile::bytes(format!("{out_dir}map.svg"), standalone));
            }
            let mut view = views::JourneyView::new(site, j, svg, labels);
            view.evolution = evolution(j, lang);
            ctx.insert("journey", &view);
            "journey.html"
        }
        Job::Personas => {
            ctx.insert(
                "personas",
                &site
                    .personas
                    .iter()
                    .map(|p| views::PersonaCard::new(site, p))
                    .collect::<Vec<_>>(),
            );
            "personas.html"
        }
        Job::Persona(p) => {
            ctx.insert("persona", &views::PersonaView::new(site, p, labels));
            "persona.html"
        }
        Job::Page(p) => {
            ctx.insert("page", p);
            "page.html"
        }
        Job::Channels => {
            let heat = diagram::heatmap(site, labels)
                .map(|d| crate::html::Html::from_trusted(diagram::svg::write(&d)));
            ctx.insert("channels", &views::channels(site, heat));
            "channels.html"
        }
        Job::Channel(c) => {
            ctx.insert("channel", c);
            "channel.html"
        }
        Job::Pains => {
            ctx.insert("pains", &gathered.get().pains);
            "pains.html"
        }
        Job::Opportunities => {
            ctx.insert("opportunities", &gathered.get().opportunities);
            "opportunities.html"
        }
        Job::Tags => {
            ctx.insert("tags", &gathered.get().tags);
            "tags.html"
        }
        Job::Tag(t) => {
            ctx.insert("tag", &gathered.get().tag_view(t));
            "tag.html"
        }
        Job::Search => {
            extra.push(OutputFile::bytes(
                format!("{out_dir}index.js"),
                search::script(site),
            ));
            "search.html"
        }
        Job::Changes => {
            let words = lang.words();
            let q = |s: &str| words.quote(s);
            let describe = |s: &crate::diff::Statement<'_>| match s {
                crate::diff::Statement::Journey(c) => c.describe_in(&words, &q),
                crate::diff::Statement::Persona(c) => c.describe_in(&words, &q),
            };
            ctx.insert("changes", &views::recent(site, &describe));
            "changes.html"
        }
        Job::NotFound => "404.html",
    };
    ctx.insert_value("site", lang.view.clone());
    ctx.insert("base", &base);
    ctx.insert_value("t", lang.strings.clone());
    let html = render(theme, template, &ctx)?;
    let path = if matches!(job, Job::NotFound) {
        "404.html".to_string()
    } else {
        format!("{out_dir}index.html")
    };
    extra.push(OutputFile::bytes(path, html));
    Ok(extra)
}

/// The chart of a journey's emotion now and at its earlier commits, when it has them.
fn evolution(j: &crate::model::Journey, lang: &Lang<'_>) -> Option<crate::html::Html> {
    if j.earlier.is_empty() {
        return None;
    }
    let labels = lang.labels;
    let now = diagram::evolution::Version {
        label: lang
            .strings
            .get_from_path("history.now")
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        journey: j,
    };
    // Oldest first, as the chart reads from left to right in its legend.
    let earlier: Vec<diagram::evolution::Version<'_>> = j
        .earlier
        .iter()
        .rev()
        .map(|e| diagram::evolution::Version {
            label: format!("{} · {}", labels.date(e.change.date), e.change.short),
            journey: &e.journey,
        })
        .collect();
    diagram::evolution(&now, &earlier, labels)
        .map(|d| crate::html::Html::from_trusted(diagram::svg::write(&d)))
}

/// The path of an absolute URL, `/`-terminated (`https://x.com/cx/` → `/cx/`).
fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

fn render(theme: &Theme, template: &str, ctx: &tera::Context) -> Result<String> {
    theme
        .tera
        .render(template, ctx)
        .map_err(|e| Error::Template {
            name: template.to_string(),
            message: theme::error_chain(&e),
        })
}

#[derive(Serialize)]
struct Data<'a> {
    schema_version: u32,
    title: &'a str,
    language: &'a str,
    #[serde(flatten)]
    site: &'a Site,
}

/// The whole model as JSON (`data/journeys.json`, and `cxmap export --format json`),
/// compact: it is for programs, and a large portfolio's file is half the size.
pub fn data_json(site: &Site) -> Vec<u8> {
    let data = Data {
        schema_version: DATA_SCHEMA_VERSION,
        title: &site.config.title,
        language: &site.lang,
        site,
    };
    let mut out = json_script_safe(&data);
    out.push(b'\n');
    out
}

/// `value` as JSON with `<`, `>` and `&` written as `\u` escapes, straight into one
/// buffer. They only occur inside JSON strings, so the value is the same, and the text
/// is safe to inline in a page or load as a script (`</script>` can never close a
/// script element).
pub fn json_script_safe<T: serde::Serialize>(value: &T) -> Vec<u8> {
    json_script_safe_after(Vec::new(), value)
}

/// [`json_script_safe`], written after what `out` holds already (a large file is not
/// copied to put something before it).
pub fn json_script_safe_after<T: serde::Serialize>(out: Vec<u8>, value: &T) -> Vec<u8> {
    let mut out = ScriptSafe(out);
    // Serializing the model (strings, numbers, string-keyed maps) into memory cannot
    // fail.
    let _ = serde_json::to_writer(&mut out, value);
    out.0
}

/// A buffer that escapes `<`, `>` and `&` as JSON `\u` escapes as bytes come in.
struct ScriptSafe(Vec<u8>);

impl std::io::Write for ScriptSafe {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut done = 0;
        for (i, b) in buf.iter().enumerate() {
            let escape: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            self.0.extend_from_slice(&buf[done..i]);
            self.0.extend_from_slice(escape);
            done = i + 1;
        }
        self.0.extend_from_slice(&buf[done..]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

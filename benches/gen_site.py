#!/usr/bin/env python3
"""Writes a deterministic cxmap site of N journey files for benchmarks.

    python3 benches/gen_site.py OUT_DIR [--journeys 1000] [--personas N/10]
                                        [--languages en,es] [--seed 7]

Every journey has 6 stages of 4 steps (action, touchpoint, channel, emotion, thought,
pains with a severity, opportunities with an owner and a priority, backstage, evidence
with a source, a quote and a link), persona references, tags and a Markdown body; a
journey file is about 5 KB. `--journeys` counts files, and so pages: with a second
language, every fourth file is the translation of the journey before it
(`journey-00002.es.md` beside `journey-00002.md`, every word translated), so 1,000
files are 750 journeys, 250 of them in both languages. The first of `--languages` is
the site's language; the word lists exist in English (en) and Spanish (es). Personas
(default: one per ten journey files, at least one) are written in the site's language.

The same arguments always write the same bytes. OUT_DIR must not exist or be empty.
"""

import argparse
import os
import random
import sys

DOMAINS = ["retail", "banking", "health", "telecom", "travel", "insurance", "energy", "public"]
STAGE_IDS = ["awareness", "consideration", "purchase", "onboarding", "use", "support"]
PHASE_OF_STAGE = [0, 0, 1, 1, 2, 2]
CHANNELS = ["web", "app", "phone", "store", "email", "chat", "social", "mail"]
TAGS = ["b2c", "b2b", "digital", "omnichannel", "accessibility", "loyalty", "onboarding",
        "churn", "self-service", "field"]
FIRST = ["María", "Jordi", "Aisha", "Tomás", "Chen", "Fatima", "Lucas", "Priya", "Olga",
         "Kwame", "Sofia", "Mateo", "Yuki", "Nadia", "Pau", "Elena"]
LAST = ["Puig", "Garcia", "Okafor", "Rossi", "Nguyen", "Silva", "Kowalski", "Haddad"]

# The words of each language. Lists at the same key have the same length and the same
# meaning at the same index, so a journey is drawn once (as indices) and written in
# either language.
WORDS = {
    "en": {
        "domain": ["retail", "banking", "health", "telecom", "travel", "insurance",
                   "energy", "public services"],
        "stage": ["Awareness", "Consideration", "Purchase", "Onboarding", "Use", "Support"],
        "phase": ["Before", "During", "After"],
        "goal": ["Understand what is on offer", "Pick the option that fits",
                 "Pay without surprises", "Get started without help",
                 "Get value every week", "Get problems solved the first time"],
        "verb": ["Searches for", "Compares", "Reads about", "Asks a friend about",
                 "Signs up for", "Pays for", "Calls about", "Chats about", "Waits for",
                 "Receives", "Sets up", "Complains about", "Renews", "Cancels", "Reviews",
                 "Shares"],
        "object": ["the monthly plan", "a replacement card", "the delivery slot",
                   "an appointment", "the invoice", "a refund", "the mobile app",
                   "a loyalty offer", "the contract", "the user guide", "a home visit",
                   "the price list", "a support ticket", "the account settings",
                   "a parcel", "the booking"],
        "touchpoint": ["Website", "Mobile app", "Call centre", "Shop counter", "Email",
                       "Letter", "Chatbot", "Social media", "Partner store",
                       "Self-service kiosk"],
        "thought": ["Why is this so slow?", "That was easier than I expected.",
                    "I hope I picked the right option.", "Nobody told me about this fee.",
                    "Finally, something that just works.", "Do I really need all of this?",
                    "I will have to explain it again.", "Nice, they remembered me."],
        "pain": ["The form loses what I typed when I go back", "Prices differ between pages",
                 "The hold music loops for twenty minutes",
                 "The confirmation email never arrives", "Terms are written in legal jargon",
                 "The app logs me out every day", "Delivery windows are too wide",
                 "I cannot find the cancel button"],
        "opportunity": ["Save drafts of the form", "One price everywhere", "Offer a call-back",
                        "Send a text as well as an email",
                        "Plain-language summary of the terms",
                        "Remember the device for 30 days", "Two-hour delivery windows",
                        "A visible cancel link in the account"],
        "owner": ["Web team", "Service design", "Operations", "Contact centre", "Legal",
                  "Logistics"],
        "backstage": ["CRM updates the case", "The warehouse picks the order",
                      "Billing runs overnight", "An agent reviews the request"],
        "source": ["Customer interviews, March 2026", "Support tickets, Q1 2026",
                   "Usability test, February 2026", "Call recordings, January 2026",
                   "Diary study, spring 2026"],
        "quote": ["I had to call three times before anyone knew who I was.",
                  "I just gave up and went to the shop instead.",
                  "It told me it worked, then the email never came.",
                  "I compared everything in a spreadsheet, for a phone plan.",
                  "The person on the phone was lovely, the website was not.",
                  "I did not even know I could do that in the app."],
        "role": ["Freelance designer", "Retired teacher", "Student nurse", "Small shop owner",
                 "Commuting engineer", "Parent of three", "Night-shift driver",
                 "Remote developer"],
        "title": "{verb} {object} ({domain} {n})",
        "summary": "How a customer gets from a first question about {object} to a settled "
                   "outcome, across {k} channels.",
        "scenario": "{name} needs to sort out {object} this week, between work and family, "
                    "and would rather not call anyone.",
        "body": [
            "This journey was mapped from eight interviews and two weeks of support tickets.",
            "## What we learned",
            "Customers expect one answer in every channel. Most frustration comes from having "
            "to repeat information the company already has.",
            "## {stage} {{#{stage_id}}}",
            "When a problem is solved on the first contact, people tell their friends; when "
            "it is not, they start comparing offers again.",
        ],
        "persona_quote": "I need it to just work.",
        "goals": ["Get things done without calling anyone", "Keep costs predictable"],
        "needs": ["Clear next steps", "One place to see everything"],
        "motivations": ["Time with family", "Feeling in control of the household budget"],
        "persona_body": "{name} is one of the people we interviewed in the last research "
                        "round. They use several channels in a week and switch between "
                        "them when one fails.\n\nThey keep paper copies of every contract "
                        "and check the bank statement each Sunday evening.",
    },
    "es": {
        "domain": ["comercio", "banca", "salud", "telecomunicaciones", "viajes", "seguros",
                   "energía", "servicios públicos"],
        "stage": ["Descubrimiento", "Consideración", "Compra", "Alta", "Uso", "Soporte"],
        "phase": ["Antes", "Durante", "Después"],
        "goal": ["Entender qué se ofrece", "Elegir la opción que encaja",
                 "Pagar sin sorpresas", "Empezar sin ayuda",
                 "Sacarle partido cada semana", "Resolver los problemas a la primera"],
        "verb": ["Busca", "Compara", "Lee sobre", "Pregunta a un amigo por",
                 "Se da de alta en", "Paga", "Llama por", "Chatea sobre", "Espera",
                 "Recibe", "Configura", "Se queja de", "Renueva", "Cancela", "Valora",
                 "Comparte"],
        "object": ["el plan mensual", "una tarjeta de sustitución", "la franja de entrega",
                   "una cita", "la factura", "un reembolso", "la app móvil",
                   "una oferta de fidelización", "el contrato", "la guía de uso",
                   "una visita a domicilio", "la lista de precios", "una incidencia",
                   "la configuración de la cuenta", "un paquete", "la reserva"],
        "touchpoint": ["Sitio web", "App móvil", "Centro de llamadas", "Mostrador de la tienda",
                       "Correo electrónico", "Carta", "Chatbot", "Redes sociales",
                       "Tienda asociada", "Quiosco de autoservicio"],
        "thought": ["¿Por qué va tan lento?", "Ha sido más fácil de lo que esperaba.",
                    "Espero haber elegido bien.", "Nadie me habló de esta comisión.",
                    "Por fin, algo que funciona sin más.", "¿De verdad necesito todo esto?",
                    "Tendré que volver a explicarlo.", "Qué bien, se acordaban de mí."],
        "pain": ["El formulario pierde lo escrito al volver atrás",
                 "Los precios cambian de una página a otra",
                 "La música de espera se repite durante veinte minutos",
                 "El correo de confirmación nunca llega",
                 "Las condiciones están en jerga jurídica",
                 "La app me cierra la sesión cada día",
                 "Las franjas de entrega son demasiado amplias",
                 "No encuentro el botón para darme de baja"],
        "opportunity": ["Guardar borradores del formulario", "Un solo precio en todas partes",
                        "Ofrecer que te llamen", "Enviar un SMS además del correo",
                        "Resumen de las condiciones en lenguaje llano",
                        "Recordar el dispositivo durante 30 días",
                        "Franjas de entrega de dos horas",
                        "Un enlace visible para darse de baja en la cuenta"],
        "owner": ["Equipo web", "Diseño de servicios", "Operaciones", "Centro de contacto",
                  "Asesoría jurídica", "Logística"],
        "backstage": ["El CRM actualiza el caso", "El almacén prepara el pedido",
                      "La facturación se ejecuta por la noche",
                      "Un agente revisa la solicitud"],
        "source": ["Entrevistas con clientes, marzo de 2026", "Incidencias, primer trimestre de 2026",
                   "Test de usabilidad, febrero de 2026", "Grabaciones de llamadas, enero de 2026",
                   "Estudio de diario, primavera de 2026"],
        "quote": ["Tuve que llamar tres veces antes de que alguien supiera quién era.",
                  "Al final me rendí y fui a la tienda.",
                  "Me dijo que había funcionado y luego el correo nunca llegó.",
                  "Lo comparé todo en una hoja de cálculo, para una tarifa de móvil.",
                  "La persona del teléfono fue un encanto; la web, no.",
                  "Ni sabía que eso se podía hacer en la app."],
        "role": ["Diseñadora autónoma", "Maestro jubilado", "Estudiante de enfermería",
                 "Dueña de una pequeña tienda", "Ingeniero que viaja a diario",
                 "Madre de tres hijos", "Conductor del turno de noche",
                 "Desarrolladora en remoto"],
        "title": "{verb} {object} ({domain} {n})",
        "summary": "Cómo pasa un cliente de una primera pregunta sobre {object} a un asunto "
                   "resuelto, a través de {k} canales.",
        "scenario": "{name} tiene que resolver {object} esta semana, entre el trabajo y la "
                    "familia, y preferiría no llamar a nadie.",
        "body": [
            "Este recorrido se mapeó a partir de ocho entrevistas y dos semanas de incidencias.",
            "## Lo que aprendimos",
            "Los clientes esperan una sola respuesta en todos los canales. La mayor frustración "
            "viene de tener que repetir información que la empresa ya tiene.",
            "## {stage} {{#{stage_id}}}",
            "Cuando un problema se resuelve en el primer contacto, la gente se lo cuenta a sus "
            "amigos; cuando no, vuelve a comparar ofertas.",
        ],
        "persona_quote": "Necesito que funcione sin más.",
        "goals": ["Hacer gestiones sin llamar a nadie", "Tener los gastos bajo control"],
        "needs": ["Pasos siguientes claros", "Un solo sitio para verlo todo"],
        "motivations": ["Tiempo con la familia", "Sentir que controla el presupuesto de casa"],
        "persona_body": "{name} es una de las personas que entrevistamos en la última ronda de "
                        "investigación. Usa varios canales cada semana y cambia de uno a otro "
                        "cuando alguno falla.\n\nGuarda copias en papel de todos los contratos "
                        "y revisa el extracto del banco cada domingo por la noche.",
    },
}


def q(text):
    """A TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def qlist(items):
    return "[" + ", ".join(q(t) for t in items) + "]"


def persona(rng, i, lang):
    w = WORDS[lang]
    name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
    slug = f"persona-{i:05d}"
    text = f"""+++
name = {q(name)}
role = {q(w["role"][rng.randrange(len(w["role"]))])}
quote = {q(w["persona_quote"])}
kind = "research"
goals = {qlist(w["goals"])}
needs = {qlist(w["needs"])}
frustrations = {qlist([w["pain"][rng.randrange(len(w["pain"]))]])}
motivations = {qlist(w["motivations"])}
channels = {qlist(sorted(rng.sample(CHANNELS, 2)))}
+++

{w["persona_body"].format(name=name)}
"""
    return slug, text


def plan_journey(rng, j, personas):
    """Draws one journey as indices into the word lists, so it can be written in any
    language."""
    p = {
        "j": j,
        "domain": j % len(DOMAINS),
        "verb": rng.randrange(16),
        "object": rng.randrange(16),
        "personas": sorted(rng.sample(personas, min(2, len(personas)))),
        "owner": rng.randrange(6),
        "tags": sorted(rng.sample(TAGS, 2)),
        "stages": [],
    }
    for s in range(len(STAGE_IDS)):
        steps = []
        for k in range(4):
            step = {
                "verb": rng.randrange(16),
                "object": rng.randrange(16),
                "touchpoint": rng.randrange(10),
                "channel": rng.choice(CHANNELS),
                "emotion": rng.randint(1, 5),
                "thought": rng.randrange(8) if rng.random() < 0.45 else None,
                "pains": [],
                "opportunities": [],
                "backstage": rng.randrange(4) if k == 0 and s % 2 == 0 else None,
                "evidence": [],
            }
            if rng.random() < 0.3:
                sev = rng.choice(["low", "medium", "high", "critical"])
                step["pains"].append((rng.randrange(8), sev))
            if rng.random() < 0.18:
                step["opportunities"].append(
                    (rng.randrange(8), rng.randrange(6), rng.choice(["low", "medium", "high"])))
            if rng.random() < 0.12:
                link = rng.randrange(900) if rng.random() < 0.5 else None
                step["evidence"].append((rng.randrange(5), rng.randrange(6), link))
            steps.append(step)
        p["stages"].append({"steps": steps})
    return p


def write_journey(p, lang, persona_names):
    w = WORDS[lang]
    n = f"{p['j']:05d}"
    obj = w["object"][p["object"]]
    title = w["title"].format(verb=w["verb"][p["verb"]], object=obj,
                              domain=w["domain"][p["domain"]], n=n)
    channels = {st["channel"] for s in p["stages"] for st in s["steps"]}
    lines = [
        "+++",
        f"title = {q(title)}",
        f"personas = {qlist(p['personas'])}",
        f"summary = {q(w['summary'].format(object=obj, k=len(channels)))}",
        f"scenario = {q(w['scenario'].format(name=persona_names[p['personas'][0]], object=obj))}",
        f"owner = {q(w['owner'][p['owner']])}",
        'status = "validated"',
        f"tags = {qlist(p['tags'])}",
        "reviewed = 2026-10-01",
    ]
    for s, stage in enumerate(p["stages"]):
        lines += [
            "",
            "[[stages]]",
            f"id = {q(STAGE_IDS[s])}",
            f"name = {q(w['stage'][s])}",
            f"phase = {q(w['phase'][PHASE_OF_STAGE[s]])}",
            f"goal = {q(w['goal'][s])}",
        ]
        for st in stage["steps"]:
            lines += [
                "",
                "[[stages.steps]]",
                f"action = {q(w['verb'][st['verb']] + ' ' + w['object'][st['object']])}",
                f"touchpoint = {q(w['touchpoint'][st['touchpoint']])}",
                f"channel = {q(st['channel'])}",
                f"emotion = {st['emotion']}",
            ]
            if st["thought"] is not None:
                lines.append(f"thought = {q(w['thought'][st['thought']])}")
            for text, sev in st["pains"]:
                lines.append(f"pains = [{{ text = {q(w['pain'][text])}, severity = {q(sev)} }}]")
            for text, owner, pri in st["opportunities"]:
                lines.append(
                    f"opportunities = [{{ text = {q(w['opportunity'][text])}, "
                    f"owner = {q(w['owner'][owner])}, priority = {q(pri)} }}]")
            if st["backstage"] is not None:
                lines.append(f"backstage = [{q(w['backstage'][st['backstage']])}]")
            for source, quote, study in st["evidence"]:
                link = "" if study is None else \
                    f", link = {q(f'https://research.example.com/studies/{study:03d}')}"
                lines.append(f"evidence = [{{ source = {q(w['source'][source])}, "
                             f"quote = {q(w['quote'][quote])}{link} }}]")
    body = [b.format(stage=w["stage"][-1], stage_id=STAGE_IDS[-1]) for b in w["body"]]
    lines += ["+++", "", "\n\n".join(body), ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--journeys", type=int, default=1000,
                    help="journey files (pages), translations included (default 1000)")
    ap.add_argument("--personas", type=int, default=None,
                    help="persona files (default: journeys / 10, at least 1)")
    ap.add_argument("--languages", default="en,es",
                    help="comma-separated; the first is the site's language (default en,es)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    langs = [l.strip() for l in args.languages.split(",") if l.strip()]
    if not langs or any(l not in WORDS for l in langs) or len(set(langs)) != len(langs):
        sys.exit(f"--languages: give distinct languages among {', '.join(WORDS)}")
    personas = args.personas if args.personas is not None else max(1, args.journeys // 10)
    if personas < 1:
        sys.exit("--personas: at least 1")
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit(f"{args.out} is not empty")
    main_lang, others = langs[0], langs[1:]
    rng = random.Random(args.seed)

    os.makedirs(os.path.join(args.out, "personas"), exist_ok=True)
    with open(os.path.join(args.out, "cxmap.toml"), "w", encoding="utf-8", newline="\n") as f:
        f.write('title = "Benchmark Atlas"\ndescription = "A generated site for benchmarks"\n')
        f.write(f"language = {q(main_lang)}\n")
        if others:
            f.write(f"languages = {qlist(langs)}\n")
        f.write("\n")
        for c in CHANNELS:
            f.write(f"[channels.{c}]\nlabel = {q(c.capitalize())}\n\n")

    slugs, names = [], {}
    for i in range(personas):
        slug, text = persona(rng, i, main_lang)
        slugs.append(slug)
        names[slug] = FIRST[i % len(FIRST)]
        with open(os.path.join(args.out, "personas", slug + ".md"), "w", encoding="utf-8",
                  newline="\n") as f:
            f.write(text)

    j, last, translations = 0, None, 0
    for i in range(args.journeys):
        if others and i % 4 == 3:
            # The translation of the journey just written, in the next other language.
            lang = others[translations % len(others)]
            translations += 1
            p, suffix = last, f".{lang}.md"
        else:
            lang, p, suffix = main_lang, plan_journey(rng, j, slugs), ".md"
            last, j = p, j + 1
        folder = os.path.join(args.out, "journeys", DOMAINS[p["domain"]])
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"journey-{p['j']:05d}{suffix}")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(write_journey(p, lang, names))


if __name__ == "__main__":
    main()

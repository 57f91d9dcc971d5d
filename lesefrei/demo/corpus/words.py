"""German-looking text for the synthetic corpus, from word lists written for lesefrei.

Nothing here is copied from a text corpus: sentences are put together from short
phrases (subject, verb phrase, complement), headlines and kickers from templates, topic
names from compound parts. Every function takes the caller's `random.Random`, so one
seed gives the same text every time.
"""

import random

FIRST_NAMES = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elif",
    "Emil",
    "Emma",
    "Felix",
    "Frieda",
    "Greta",
    "Hannah",
    "Henri",
    "Ida",
    "Jakob",
    "Jana",
    "Jonas",
    "Julia",
    "Karla",
    "Kerem",
    "Lara",
    "Lea",
    "Leon",
    "Lina",
    "Linus",
    "Luca",
    "Luisa",
    "Maja",
    "Malte",
    "Marie",
    "Mats",
    "Mia",
    "Mila",
    "Moritz",
    "Nele",
    "Niklas",
    "Noah",
    "Ole",
    "Paul",
    "Paula",
    "Pia",
    "Rosa",
    "Samira",
    "Sophie",
    "Theo",
    "Tilda",
    "Tim",
    "Tobias",
    "Valentin",
    "Yusuf",
    "Zoe",
    "Agnes",
    "Bernd",
    "Carsten",
    "Dagmar",
    "Doris",
    "Frank",
    "Gisela",
    "Hartmut",
    "Heike",
    "Ingrid",
    "Jens",
    "Karin",
    "Klaus",
    "Monika",
    "Petra",
    "Rainer",
    "Sabine",
    "Thomas",
    "Ute",
    "Wolfgang",
    "Aylin",
    "Dragan",
    "Ewa",
    "Giulia",
    "Ivana",
    "Katarzyna",
    "Milan",
    "Nikola",
    "Oksana",
    "Piotr",
    "Selin",
    "Tamara",
    "Vesna",
]

LAST_NAMES = [
    "Albers",
    "Arnold",
    "Bauer",
    "Baumann",
    "Beck",
    "Berger",
    "Böhm",
    "Brandt",
    "Braun",
    "Busch",
    "Dietrich",
    "Engel",
    "Fischer",
    "Franke",
    "Friedrich",
    "Fuchs",
    "Graf",
    "Günther",
    "Haas",
    "Hahn",
    "Hartmann",
    "Heinrich",
    "Herrmann",
    "Hoffmann",
    "Hofmann",
    "Horn",
    "Huber",
    "Jäger",
    "Jung",
    "Kaiser",
    "Keller",
    "Klein",
    "Koch",
    "Köhler",
    "König",
    "Krause",
    "Krüger",
    "Kuhn",
    "Kühn",
    "Lang",
    "Lange",
    "Lehmann",
    "Lorenz",
    "Ludwig",
    "Maier",
    "Marx",
    "Mayer",
    "Meier",
    "Meyer",
    "Möller",
    "Müller",
    "Neumann",
    "Otto",
    "Peters",
    "Pohl",
    "Richter",
    "Roth",
    "Sauer",
    "Schäfer",
    "Scharf",
    "Schmid",
    "Schmidt",
    "Schmitt",
    "Schneider",
    "Scholz",
    "Schreiber",
    "Schröder",
    "Schubert",
    "Schulte",
    "Schulz",
    "Schumacher",
    "Schuster",
    "Schwarz",
    "Seidel",
    "Simon",
    "Sommer",
    "Stein",
    "Thomas",
    "Vogel",
    "Vogt",
    "Voigt",
    "Wagner",
    "Walter",
    "Weber",
    "Weiß",
    "Werner",
    "Winkler",
    "Winter",
    "Wolf",
    "Zimmermann",
    "Yıldız",
    "Nowak",
    "Kowalski",
    "Petrović",
    "Demir",
    "Öztürk",
    "Popescu",
    "Rossi",
    "Novak",
    "Jankowski",
    "Ivanova",
    "Kaya",
    "Aydın",
]

PLACES = [
    "Aachen",
    "Augsburg",
    "Bamberg",
    "Berlin",
    "Bielefeld",
    "Bochum",
    "Bonn",
    "Bremen",
    "Chemnitz",
    "Cottbus",
    "Darmstadt",
    "Dessau",
    "Dortmund",
    "Dresden",
    "Duisburg",
    "Düsseldorf",
    "Erfurt",
    "Essen",
    "Flensburg",
    "Frankfurt",
    "Freiburg",
    "Fulda",
    "Gera",
    "Gießen",
    "Görlitz",
    "Göttingen",
    "Greifswald",
    "Halle",
    "Hamburg",
    "Hannover",
    "Heidelberg",
    "Hildesheim",
    "Jena",
    "Karlsruhe",
    "Kassel",
    "Kiel",
    "Koblenz",
    "Köln",
    "Konstanz",
    "Krefeld",
    "Leipzig",
    "Lübeck",
    "Lüneburg",
    "Magdeburg",
    "Mainz",
    "Mannheim",
    "Marburg",
    "Münster",
    "Neubrandenburg",
    "Nürnberg",
    "Oldenburg",
    "Osnabrück",
    "Paderborn",
    "Passau",
    "Potsdam",
    "Regensburg",
    "Rostock",
    "Saarbrücken",
    "Schwerin",
    "Siegen",
    "Stralsund",
    "Stuttgart",
    "Trier",
    "Tübingen",
    "Ulm",
    "Weimar",
    "Wiesbaden",
    "Wismar",
    "Wuppertal",
    "Würzburg",
    "Zwickau",
    "Brüssel",
    "Straßburg",
    "Wien",
    "Prag",
    "Warschau",
    "Kopenhagen",
    "Paris",
    "Rom",
    "Madrid",
    "Lissabon",
    "Athen",
]

# Compound parts: "Wasser" + "versorgung" = "Wasserversorgung".
TOPIC_HEADS = [
    "Wasser",
    "Schul",
    "Stadt",
    "Energie",
    "Klima",
    "Verkehrs",
    "Wohnungs",
    "Gesundheits",
    "Renten",
    "Arbeits",
    "Bildungs",
    "Kultur",
    "Landwirtschafts",
    "Haushalts",
    "Steuer",
    "Umwelt",
    "Wald",
    "Strom",
    "Wärme",
    "Bahn",
    "Kita",
    "Pflege",
    "Digital",
    "Daten",
    "Hochschul",
    "Sport",
    "Museums",
    "Theater",
    "Medien",
    "Europa",
    "Grenz",
    "Küsten",
    "Hafen",
    "Agrar",
    "Forschungs",
    "Jugend",
    "Familien",
    "Kommunal",
    "Landes",
    "Wahl",
]
TOPIC_TAILS = [
    "politik",
    "wende",
    "schutz",
    "reform",
    "förderung",
    "netz",
    "versorgung",
    "planung",
    "streit",
    "gipfel",
    "gesetz",
    "krise",
    "ausbau",
    "debatte",
    "bericht",
    "wirtschaft",
    "recht",
    "markt",
    "finanzierung",
    "kosten",
]

SUBJECTS = (
    "Der Gemeinderat",
    "Die Landesregierung",
    "Der Bürgermeister",
    "Die Bürgermeisterin",
    "Die Opposition im Landtag",
    "Ein Bündnis aus Vereinen",
    "Die Verwaltung",
    "Der Kreistag",
    "Die Bundesregierung",
    "Das Ministerium",
    "Eine Initiative von Anwohnern",
    "Die Gewerkschaft",
    "Der Verband der Kommunen",
    "Die Forschungsgruppe",
    "Das Stadtwerk",
    "Der Elternbeirat",
    "Die Genossenschaft",
    "Der Umweltverband",
    "Die Kommission",
    "Der Rechnungshof",
    "Die Mehrheit im Stadtrat",
    "Ein Sprecher der Stadt",
    "Die Sozialdemokratin",
    "Der Abgeordnete",
    "Die Schulleitung",
    "Der Landkreis",
    "Die Polizei",
    "Das Gericht",
    "Die Handwerkskammer",
    "Der Mieterverein",
)

VERB_PHRASES = (
    "hält an den Plänen fest",
    "fordert mehr Geld für {topic}",
    "legt einen neuen Entwurf vor",
    "will die Entscheidung vertagen",
    "kritisiert die Pläne scharf",
    "sieht dringenden Handlungsbedarf",
    "verweist auf die knappen Kassen",
    "kündigt eine Prüfung an",
    "stellt die Zahlen in Frage",
    "setzt auf einen Kompromiss",
    "lädt zu einer Anhörung ein",
    "warnt vor steigenden Kosten",
    "rechnet mit Verzögerungen",
    "verspricht schnelle Hilfe",
    "beruft sich auf ein Gutachten",
    "lehnt den Vorschlag ab",
    "begrüßt die Einigung",
    "sucht das Gespräch mit den Betroffenen",
    "plant eine Reform von {topic}",
    "verteidigt die Entscheidung",
    "hat die Frist verlängert",
    "hat einen Antrag eingebracht",
    "will {topic} neu ordnen",
    "verlangt mehr Tempo bei {topic}",
)

COMPLEMENTS = (
    "",
    "",
    "",
    " – zum zweiten Mal in diesem Jahr",
    " nach monatelangem Streit",
    " trotz deutlicher Kritik",
    " noch vor der Sommerpause",
    " in einer Sondersitzung",
    " bis zum Jahresende",
    " mit knapper Mehrheit",
    " für die kommenden fünf Jahre",
    " nach einer langen Debatte",
    " in {place}",
    " auch für die umliegenden Gemeinden",
)

OPENERS = (
    "",
    "",
    "",
    "",
    "Am Dienstag ",
    "Schon seit Wochen ",
    "Nach Angaben der Stadt ",
    "Inzwischen ",
    "Zuletzt ",
    "Im Frühjahr ",
    "Bereits im vergangenen Jahr ",
    "Überraschend ",
)

# Verb-second: an opener moves the subject behind the verb ("Am Dienstag legt … vor")
# only in simple cases; these sentences stand on their own instead.
FACTS = (
    "Nach ersten Schätzungen geht es um {number} Millionen Euro.",
    "Betroffen sind rund {number}.000 Menschen in der Region.",
    "Die Zahl der Anträge hat sich seit {year} fast verdoppelt.",
    "Eine Entscheidung wird frühestens im {month} erwartet.",
    "Die Frist endet am {day}. {month}.",
    "Bis {year} sollen alle Arbeiten abgeschlossen sein.",
    "In {place} gibt es ähnliche Pläne schon seit Jahren.",
    "Ein Gutachten beziffert die Kosten auf {number} Millionen Euro.",
    "Im Haushalt sind dafür bislang keine Mittel vorgesehen.",
    "Die Sitzung dauerte mehr als {number} Stunden.",
    "Viele Fragen sind noch offen.",
    "Wie es weitergeht, ist unklar.",
    "Der Zeitplan gilt als ehrgeizig.",
    "Die Opposition spricht von einem Versäumnis.",
    "Fachleute halten das Vorhaben für machbar, aber teuer.",
)

QUOTES = (
    "Wir können nicht länger warten",
    "Das ist ein wichtiger Schritt, aber noch lange nicht genug",
    "Am Ende zählt, was bei den Menschen ankommt",
    "Niemand hat gesagt, dass es einfach wird",
    "Wir brauchen eine Lösung, die auch in zehn Jahren noch trägt",
    "Die Zahlen sprechen eine deutliche Sprache",
    "Ich verstehe den Ärger, aber wir müssen rechnen",
    "So kann es nicht weitergehen",
    "Das hätte man früher haben können",
    "Wir haben zugehört und nachgebessert",
)

ROLES = (
    "Sprecherin des Verbands",
    "Sprecher der Initiative",
    "Fraktionsvorsitzende",
    "Fraktionsvorsitzender",
    "Leiterin des Amts",
    "Vorsitzender des Vereins",
    "Professorin für Stadtplanung",
    "Ökonom",
    "Anwohnerin",
    "Landwirt",
    "Lehrerin",
    "Betriebsratsvorsitzender",
)

SUBHEADINGS = (
    "Streit um die Kosten",
    "Was die Betroffenen sagen",
    "Ein langer Weg",
    "Kritik aus der Opposition",
    "Wie es weitergeht",
    "Die Zahlen im Überblick",
    "Hoffnung auf Einigung",
    "Offene Fragen",
    "Ein Blick in die Nachbarschaft",
    "Warten auf Berlin",
    "Kein Geld im Haushalt",
    "Vorbild aus {place}",
)

KICKERS = (
    "Streit um {topic}",
    "{topic} in {place}",
    "Debatte um {topic}",
    "Neue Pläne für {topic}",
    "{topic}",
    "Entscheidung in {place}",
    "Bilanz nach einem Jahr",
    "Reportage aus {place}",
    "Kommentar",
    "Analyse",
)

HEADLINE_PATTERNS = (
    "{place}: {subject} {verb}",
    "{subject} {verb}",
    "Wer zahlt für {topic}?",
    "{topic}: {subject} {verb}",
    "Was {topic} für {place} bedeutet",
    "Zu wenig, zu spät? {topic} in der Kritik",
    "{place} wartet auf {topic}",
)

MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]

AUTHOR_ROLES = (
    "Redakteurin",
    "Redakteur",
    "Reporterin",
    "Reporter",
    "Korrespondentin",
    "Korrespondent",
    "freie Autorin",
    "freier Autor",
)

COMMENT_OPENERS = (
    "",
    "",
    "",
    "Danke für den Artikel. ",
    "Interessant. ",
    "Ehrlich gesagt: ",
    "Wie so oft: ",
    "Kenne ich aus eigener Erfahrung. ",
    "Ich sehe das anders. ",
    "Volle Zustimmung. ",
    "Schwieriges Thema. ",
)

COMMENT_SENTENCES = (
    "Bei uns in {place} ist es genauso.",
    "Das Geld wäre woanders besser angelegt.",
    "Warum dauert das eigentlich immer so lange?",
    "Am Ende zahlen wieder die Bürgerinnen und Bürger.",
    "Gute Recherche, genau so etwas fehlt oft.",
    "Mich würde interessieren, was die Betroffenen selbst dazu sagen.",
    "Ich finde den Vorschlag vernünftig, auch wenn er teuer ist.",
    "Die Zahlen im Text überzeugen mich nicht ganz.",
    "Hier wird zu viel geredet und zu wenig gehandelt.",
    "Vor zehn Jahren hätte man das schon lösen können.",
    "Das ist ein Anfang, mehr aber auch nicht.",
    "Hoffentlich bleibt die Redaktion an dem Thema dran.",
    "Wer das entschieden hat, war offenbar nie vor Ort.",
    "So sieht gute Politik aus: zuhören und dann handeln.",
    "Ich arbeite selbst in dem Bereich und kann das bestätigen.",
    "Man sollte auch die andere Seite hören.",
    "Für {topic} fehlt seit Jahren ein Plan.",
    "Meine Nachbarn sehen das ganz anders als ich.",
)

REPLY_OPENERS = (
    "Da stimme ich zu. ",
    "Nicht ganz. ",
    "Genau das ist der Punkt. ",
    "Sehe ich anders. ",
    "Guter Hinweis. ",
    "Das stimmt so nicht. ",
    "",
)

REJECTION_REASONS = (
    "Beleidigend gegenüber anderen Leserinnen und Lesern.",
    "Kein Bezug zum Artikel.",
    "Werbung.",
)

BIO_SENTENCES = (
    "{name} schreibt seit {year} für lesefrei.",
    "Vorher hat {first} bei einer Regionalzeitung in {place} gearbeitet.",
    "Die Themen: {topic} und {topic2}.",
    "{first} lebt in {place}.",
    "Am liebsten ist {first} draußen unterwegs, mit Notizblock.",
)


def fill(template: str, rnd: random.Random, topic: str) -> str:
    """A template with its gaps filled ({topic}, {place}, {number}, {year} …)."""
    if "{" not in template:
        return template
    return template.format(
        topic=topic,
        place=rnd.choice(PLACES),
        number=rnd.randint(2, 90),
        year=rnd.randint(2012, 2024),
        month=rnd.choice(MONTHS),
        day=rnd.randint(1, 28),
    )


def topic_names() -> list[str]:
    """Every topic name the generator can use, in a fixed order."""
    names = []
    for tail in TOPIC_TAILS:
        for head in TOPIC_HEADS:
            names.append(head + tail)
    return names


def statement(rnd: random.Random, topic: str) -> str:
    opener = rnd.choice(OPENERS)
    subject = rnd.choice(SUBJECTS)
    if opener:
        subject = subject[0].lower() + subject[1:]
        verb, rest = rnd.choice(VERB_PHRASES).split(" ", 1)
        text = f"{opener}{verb} {subject} {rest}"
    else:
        text = f"{subject} {rnd.choice(VERB_PHRASES)}"
    return fill(text + rnd.choice(COMPLEMENTS) + ".", rnd, topic)


def quote(rnd: random.Random) -> str:
    name = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"
    return f"„{rnd.choice(QUOTES)}“, sagt {name}, {rnd.choice(ROLES)}."


def sentence(rnd: random.Random, topic: str) -> str:
    roll = rnd.random()
    if roll < 0.55:
        return statement(rnd, topic)
    if roll < 0.85:
        return fill(rnd.choice(FACTS), rnd, topic)
    return quote(rnd)


def paragraph(rnd: random.Random, topic: str) -> str:
    return " ".join(sentence(rnd, topic) for _ in range(rnd.randint(2, 5)))


def headline(rnd: random.Random, topic: str) -> str:
    verb = fill(rnd.choice(VERB_PHRASES), rnd, topic)
    return rnd.choice(HEADLINE_PATTERNS).format(
        topic=topic, place=rnd.choice(PLACES), subject=rnd.choice(SUBJECTS), verb=verb
    )[:200]


def kicker(rnd: random.Random, topic: str) -> str:
    return fill(rnd.choice(KICKERS), rnd, topic)[:80]


def subheading(rnd: random.Random, topic: str) -> str:
    return fill(rnd.choice(SUBHEADINGS), rnd, topic)


def comment_text(rnd: random.Random, topic: str, *, reply: bool = False) -> str:
    opener = rnd.choice(REPLY_OPENERS if reply else COMMENT_OPENERS)
    sentences = " ".join(
        fill(rnd.choice(COMMENT_SENTENCES), rnd, topic) for _ in range(rnd.randint(1, 4))
    )
    return opener + sentences


def person(rnd: random.Random) -> tuple[str, str]:
    return rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)

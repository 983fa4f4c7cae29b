"""Which set a scene heading names: place words first, then MiniLM embeddings, then the action. No Django.

`choose_location` reads the heading's place words against `PLACE_WORDS` (phrase -> interior set, exterior set,
rank). The most specific word wins (a kitchen over a house, a hallway over a hospital); on a tie the later word
does (English puts the head noun last: "HOSPITAL ROOM" is a hospital, "BLOOM HOUSE KITCHEN" a kitchen), and a
word after a preposition counts less ("FIELD AT THE SWAMP EDGE" is a field). A word no list has is compared with
the listed words by sentence embeddings (`embeddings`), and taken only when it is close. A heading with no place
in it (titles, montage, black, intercut, POV, insert and shot headings) is `none`: shot in the previous scene's
set. Whatever could not be matched is said in `LocationChoice.notes`, never guessed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generation.engines.setlibrary import EXTERIOR_TYPES, INTERIOR_TYPES

# Every value `location_type_for` returns: a set from the library, or `none` (not a place: use the previous set).
LOCATION_TYPES: tuple[str, ...] = (*INTERIOR_TYPES, *EXTERIOR_TYPES, "none")
EMBEDDING_THRESHOLD = 0.55

# rank: 3 a room or a spot, 2 a building, venue or landscape, 1 a broad place (house, town), 0 a generic word.
_GROUPS: list[tuple[str, str, int, str]] = [
    # interior set, exterior set, rank, words (comma separated)
    ("kitchen", "house_exterior", 3, "kitchen, kitchenette, pantry, scullery"),
    ("bedroom", "house_exterior", 3, "bedroom, master bedroom, guest room, guest bedroom, nursery, dorm room, "
     "dormitory, bunkroom, hotel room, motel room, dressing room, sleeping quarters, bunk"),
    ("bathroom", "bathroom", 3, "bathroom, restroom, washroom, lavatory, toilet, toilets, shower, showers, "
     "men's room, ladies room, ladies' room, powder room, locker room, changing room"),
    ("hallway", "hallway", 3, "hallway, hall, corridor, lobby, foyer, front hall, entrance, entryway, vestibule, "
     "stairwell, stairs, staircase, stairway, landing, elevator, lift, reception, waiting room, waiting area, "
     "upstairs hallway, concourse, terminal, airport, subway station, train station, station platform"),
    ("living_room", "house_exterior", 3, "living room, den, parlor, parlour, sitting room, family room, lounge room, "
     "dining room, front room, rec room, great room, drawing room"),
    ("garage", "house_exterior", 3, "garage, carport, workshop, auto shop, body shop, repair shop, car park garage"),
    ("classroom", "street", 3, "classroom, lecture hall, schoolroom, homeroom, science fair, courtroom, lab, "
     "laboratory"),
    ("hospital", "street", 3, "operating room, emergency room, hospital room, ward, icu, exam room, "
     "examination room, infirmary, morgue, sickbay, surgery"),
    ("office", "street", 3, "office, cubicle, boardroom, conference room, study, newsroom, interrogation room, "
     "library, control room, precinct, squad room"),
    ("house_exterior", "house_exterior", 3, "patio, porch, front porch, back porch, veranda, verandah, terrace, "
     "backyard, back yard, front yard, yard, lawn, garden, driveway, front door, doorstep, stoop, gazebo, "
     "door, trailer park"),
    ("house_exterior", "house_exterior", 2, "gate"),
    ("rooftop", "rooftop", 3, "rooftop, roof, roof top, helipad"),
    ("pool", "pool", 3, "pool, swimming pool, poolside, pool deck"),
    ("warehouse", "warehouse", 3, "storage area, storage room, basement, cellar, attic, boiler room, vault, cell, "
     "jail cell, prison cell, holding cell, loading bay, stables, stable, hayloft"),
    ("car_interior", "street", 3, "cockpit, back seat, front seat, driver's seat"),
    # buildings, venues and landscapes
    ("office", "street", 2, "bank, police station, station house, headquarters, hq, agency, firm, law firm, "
     "city hall, town hall, savings loan, savings and loan, newspaper, embassy, ministry"),
    ("classroom", "street", 2, "school, high school, college, university, campus, academy, kindergarten"),
    ("hospital", "street", 2, "hospital, clinic, medical center, doctor's office, asylum, sanatorium, "
     "nursing home, hospice"),
    ("diner_bar", "street", 2, "diner, bar, cafe, café, coffee shop, coffeehouse, restaurant, pub, saloon, tavern, "
     "cantina, nightclub, club, lounge, bistro, brasserie, canteen, cafeteria, pool hall, bowling alley, casino, "
     "speakeasy, juke joint, brewery, pizzeria, dining hall, mess hall, ballroom, dance hall"),
    ("shop", "street", 2, "shop, store, grocery store, grocery, supermarket, market, boutique, pharmacy, "
     "drugstore, bookstore, pawn shop, mall, gallery, bakery, butcher, deli, hardware store, convenience store, "
     "checkout, liquor store, salon, barbershop, barber shop, gas station, gas, museum, pawnshop, bookshop, "
     "florist, flower shop, record store, record shop, chemist, greengrocer, bodega, patisserie, boulangerie"),
    ("warehouse", "street", 2, "warehouse, factory, hangar, mill, plant, foundry, depot, gym, gymnasium, prison, "
     "jail, bunker, sewer, tunnel, mine, shed, workshop floor, basketball court, arena"),
    ("warehouse", "field", 2, "barn, big top, big-top, circus, tent"),
    ("church", "street", 2, "church, chapel, cathedral, temple, synagogue, mosque, sanctuary, monastery, abbey, "
     "funeral home, funeral parlor, theater, theatre, auditorium, concert hall, opera house, cinema, movie theater, "
     "auditorium stage"),
    ("church", "field", 2, "stage"),
    ("car_interior", "street", 2, "car, truck, pickup, pickup truck, taxi, cab, van, minivan, limo, limousine, "
     "sedan, jeep, suv, convertible, station wagon, police car, squad car, cruiser, patrol car, ambulance, bus, "
     "school bus, train, subway car, airplane, plane, jet, airliner, 747, helicopter, chopper, porsche, chevy, "
     "chevrolet, cadillac, buick, ford, mustang, mazda, lexus, toyota, honda, bmw, mercedes, volvo, volkswagen, "
     "vw, gti, land rover, landcruiser, land cruiser, range rover, jaguar, ferrari, camaro, corvette, pontiac, "
     "dodge, tesla, rv, motorhome"),
    ("boat", "boat", 2, "boat, ship, yacht, sailboat, ferry, fishing boat, tugboat, trawler, canoe, kayak, raft, "
     "dinghy, speedboat, motorboat, barge, cruise ship, steamboat, rowboat, deck of the"),
    ("living_room", "house_exterior", 2, "cabin, cottage, shack, hut, trailer, trailer home, mobile home, mansion, "
     "estate, villa, farmhouse, bungalow, residence, manor, chateau, lodge, fraternity house, sorority house, "
     "boarding house"),
    ("living_room", "street", 2, "apartment, flat, condo, condominium, townhouse, brownstone, penthouse, loft, duplex, "
     "apartment building"),
    ("bedroom", "street", 2, "hotel, motel, inn, hostel"),
    ("hallway", "street", 1, "building, tower, skyscraper, courthouse, court house"),
    ("street", "street", 2, "street, streets, alley, alleyway, road, avenue, ave, boulevard, blvd, sidewalk, "
     "highway, freeway, interstate, intersection, crosswalk, parking lot, car park, parking, downtown, "
     "main street, neighborhood, neighbourhood, district, square, town square, plaza, bus stop, bridge, overpass, "
     "underpass, strip mall, block, street corner, corner, suburb, suburbs, cul-de-sac, tollbooth, city street"),
    ("beach", "beach", 2, "beach, shore, seashore, seaside, coast, coastline, ocean, sea, surf, cove, bay, "
     "shoreline, boardwalk, sand"),
    ("harbor", "harbor", 2, "harbor, harbour, dock, docks, pier, marina, wharf, port, quay, jetty, boatyard, "
     "shipyard, waterfront, lighthouse, quayside"),
    ("river_lake", "river_lake", 2, "river, riverbank, river bank, riverside, lake, lakeside, lakeshore, pond, "
     "creek, stream, brook, waterfall, falls, swamp, marsh, bayou, canal, lagoon, reservoir, dam, underwater, "
     "fishing hole"),
    ("forest", "forest", 2, "forest, woods, wood, jungle, trees, tree, grove, clearing, thicket, rainforest, "
     "orchard, campsite, campground, campfire, camp, woodland, woodlands, bush"),
    ("field", "field", 2, "field, fields, meadow, farm, farmland, pasture, prairie, cornfield, wheat field, park, "
     "cemetery, graveyard, graveside, grave, hill, hillside, hills, countryside, ranch, vineyard, golf course, "
     "baseball field, football field, soccer field, playground, quad, pen, sheep pen, corral, paddock, fairground, "
     "county fair, fair, plains, valley, path, trail, dirt road, country road, county road"),
    ("desert", "desert", 2, "desert, dunes, sand dunes, canyon, badlands, wasteland, mesa, salt flats, outback"),
    ("mountain", "mountain", 2, "mountain, mountains, mountainside, cliff, cliffs, cliffside, peak, summit, "
     "ridge, glacier, slope, ski slope, ravine, gorge, crag, overlook, lookout, volcano, mountain pass, cave"),
    # broad places: a town is its streets, a house its living room
    ("living_room", "house_exterior", 1, "house, home, place of"),
    ("street", "street", 1, "city, town, village, metropolis, manhattan"),
    # generic words: a place, but no kind of place
    ("living_room", "street", 0, "room, rm, place, area, interior, exterior, locations, location, spot"),
]  # fmt: skip
PLACE_WORDS: dict[str, tuple[str, str, int]] = {}
for _interior, _exterior, _rank, _listed in _GROUPS:
    for _word in _listed.split(","):
        PLACE_WORDS.setdefault(_word.strip().lower(), (_interior, _exterior, _rank))
VEHICLE_SETS = ("car_interior",)

# Headings that are not places (a title card, a POV, an insert): shot in the previous scene's set.
NOT_PLACES = (
    "title", "titles", "opening titles", "main titles", "credits", "end credits", "opening credits", "montage",
    "series of shots", "black", "black screen", "fade in", "fade out", "fade to black", "intercut", "inter-cut",
    "pov", "p.o.v", "p.o.v.", "insert", "inserts", "close on", "close up", "close-up", "closeup", "angle on",
    "wide shot", "shot", "shots", "reverse angle", "back to scene", "flashback", "flash forward", "split screen",
    "super", "title card", "on tv", "on the tv", "on screen", "tv screen", "later", "moments later", "continuous",
    "omitted", "the end", "end", "aerial shot", "various", "various locations", "dream sequence",
)  # fmt: skip
PREPOSITIONS = frozenset("at by of in on near behind outside inside under above along beside across to from into "
                         "through past around over beyond toward towards off".split())  # fmt: skip
_STOP = frozenset("the a an and & with his her their its our my your back front upstairs downstairs same day night "
                  "dawn dusk morning evening afternoon later continuous moment moments present story old new big "
                  "little tiny small large dark half-dark".split()) | PREPOSITIONS  # fmt: skip
_INT_EXT = re.compile(r"^\s*\.?\s*(?:(?:INT|EXT|EST|I/E|E/I|INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|INTERIOR|EXTERIOR)"
                      r"[.\s]+)",
                      re.IGNORECASE)  # fmt: skip
_WORD = re.compile(r"[a-z0-9][a-z0-9'&.\-]*")


@dataclass
class LocationChoice:
    """The set chosen for a heading, the word that chose it and how, and what could not be matched."""

    type: str
    word: str = ""
    how: str = ""  # heading, heading (embedding), action, default, none
    notes: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return [w.strip(".'-") for w in _WORD.findall(text.lower().replace("’", "'")) if w.strip(".'-")]


def _find(words: list[str], table: dict[str, Any] | tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, length, phrase) of each phrase of `table` in `words`, longest first, not overlapping."""
    taken: set[int] = set()
    found = []
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i : i + n])
            if phrase in table and not taken & set(range(i, i + n)):
                found.append((i, n, phrase))
                taken |= set(range(i, i + n))
            elif n == 1 and phrase.endswith("s") and phrase[:-1] in table and i not in taken:
                found.append((i, 1, phrase[:-1]))
                taken.add(i)
    return sorted(found)


def _place_text(heading: str, location: str) -> tuple[bool, str]:
    """(whether the heading names INT/EXT, the words that name its place)."""
    head = heading.strip()
    match = _INT_EXT.match(head)
    if match:
        rest = head[match.end() :]
        return True, location.strip() or re.split(r"\s+-+\s+|,", rest)[0]
    return False, head.lstrip(".")


def _best(words: list[str], exterior: bool, vehicles: bool = True, slash: int = 0) -> tuple[str, str, float] | None:
    """(set, word, score) of the most specific place word, or None. Words after a preposition that follows the
    first word count less ("FIELD AT THE SWAMP EDGE"), and a little less after a slash ("CEMETERY / ROAD")."""
    cut = next((i for i, w in enumerate(words) if w in PREPOSITIONS and i > 0), len(words))
    best: tuple[float, int, str, str] | None = None
    for start, _, phrase in _find(words, PLACE_WORDS):
        interior_set, exterior_set, rank = PLACE_WORDS[phrase]
        kind = exterior_set if exterior else interior_set
        if not vehicles and interior_set in VEHICLE_SETS:
            continue
        score = rank - (0.5 if start > cut else 0.0) - (0.25 if slash and start >= slash else 0.0)
        if best is None or (score, start) >= (best[0], best[1]):
            best = (score, start, kind, phrase)
    return (best[2], best[3], best[0]) if best else None


def _unmatched(words: list[str]) -> list[str]:
    known = {w for _, n, p in _find(words, PLACE_WORDS) for w in p.split()}
    return [w for w in words if w not in known and w not in _STOP and not w.endswith("'s") and not w.isdigit()]


def _embedded(words: list[str], exterior: bool, notes: list[str]) -> tuple[str, str] | None:
    """The set of the listed place word nearest to the unmatched words, when it is close enough."""
    from generation.engines import embeddings

    try:
        nearest = embeddings.nearest_phrase(words, [p for p, (_, _, rank) in PLACE_WORDS.items() if rank > 0])
    except embeddings.EmbeddingsUnavailable as exc:
        notes.append(f"unmatched place words {', '.join(words)!r}: no embedding model ({exc})")
        return None
    if nearest is None:
        return None
    word, phrase, score = nearest
    if score < EMBEDDING_THRESHOLD:
        notes.append(f"unmatched place words {', '.join(words)!r} (nearest listed word {phrase!r}, {score:.2f} "
                     f"< {EMBEDDING_THRESHOLD})")  # fmt: skip
        return None
    interior_set, exterior_set, _ = PLACE_WORDS[phrase]
    kind = exterior_set if exterior else interior_set
    notes.append(f"{word!r} read as {phrase!r} by embedding ({score:.2f}) -> {kind}")
    return kind, word


def choose_location(heading: str, int_ext: str, location: str, action: str = "") -> LocationChoice:
    """The set for a scene: its heading's place words, then embeddings of words no list has, then the action."""
    prefixed, text = _place_text(heading, location)
    exterior = (int_ext or heading).strip().upper().lstrip(".").startswith(("EXT", "EST", "EXTERIOR"))
    words = _words(text)
    slash = len(_words(text.split("/")[0])) if "/" in text else 0
    found = _best(words, exterior, vehicles=prefixed, slash=slash)
    not_place = _find(words, NOT_PLACES)
    if not_place and (found is None or found[2] <= 0 or not prefixed):
        return LocationChoice("none", not_place[0][2], "none", [f"{text.strip()!r} is not a place: the previous set"])
    if not prefixed and (found is None or found[2] < 1):
        return LocationChoice("none", "", "none", [f"{text.strip()!r} names no place (a shot heading)"])
    if found is not None and found[2] >= 1:
        return LocationChoice(found[0], found[1], "heading")
    notes: list[str] = []
    unmatched = _unmatched(words)
    if unmatched:
        chosen = _embedded(unmatched, exterior, notes)
        if chosen is not None:
            return LocationChoice(chosen[0], chosen[1], "heading (embedding)", notes)
    from_action = _from_action(action, exterior)
    if from_action is not None:
        notes.append(f"the heading names no place; the action's {from_action[1]!r} chose {from_action[0]}")
        return LocationChoice(from_action[0], from_action[1], "action", notes)
    if found is not None:  # only a generic word ("A DARK PLACE")
        notes.append(f"only the generic word {found[1]!r} in {text.strip()!r}")
        return LocationChoice(found[0], found[1], "heading", notes)
    default = "street" if exterior else "living_room"
    notes.append(f"no place words in {text.strip()!r}: the default {'exterior' if exterior else 'interior'} set")
    return LocationChoice(default, "", "default", notes)


def _from_action(action: str, exterior: bool) -> tuple[str, str] | None:
    """The place the action names most often (the first named wins a tie), from rank 2 and up."""
    counts: dict[str, tuple[int, int, str]] = {}
    for start, _, phrase in _find(_words(action), PLACE_WORDS):
        interior_set, exterior_set, rank = PLACE_WORDS[phrase]
        if rank < 2:
            continue
        kind = exterior_set if exterior else interior_set
        n, first, word = counts.get(kind, (0, start, phrase))
        counts[kind] = (n + 1, first, word)
    if not counts:
        return None
    kind = max(counts, key=lambda k: (counts[k][0], -counts[k][1]))
    return kind, counts[kind][2]

# SPDX-License-Identifier: GPL-3.0-or-later
"""The words the story extractor knows: people, places, times, verbs and function words.

Small, hand-made lists instead of a tagger: a logline is one or two sentences, and these lists are
enough to tell its people, places and premise nouns apart deterministically, on any machine.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Nouns for a person (singular). "-man"/"-woman" compounds and "-keeper" count too (see is_person_noun).
PERSON_NOUNS = _words(
    """
    keeper cop policeman policewoman detective inspector officer sheriff deputy marshal soldier sergeant captain
    general colonel lieutenant commander admiral marine pilot sailor fisherman fisherwoman ferryman boatman
    farmer rancher miner nurse doctor surgeon medic paramedic midwife teacher student professor scientist
    engineer mechanic chef cook baker waiter waitress bartender barista boxer fighter wrestler athlete runner
    swimmer dancer ballerina singer musician pianist violinist cellist drummer guitarist composer painter
    artist sculptor writer poet novelist journalist reporter photographer filmmaker director actor actress
    projectionist librarian clerk banker lawyer attorney judge priest nun monk rabbi imam preacher vicar pastor
    thief burglar robber smuggler forger hacker spy agent assassin killer gangster mobster hitman bodyguard
    guard janitor caretaker gardener maid butler nanny driver trucker cabbie courier postman mailman
    astronaut cosmonaut explorer hunter ranger firefighter fireman lifeguard diver climber prisoner inmate
    convict fugitive refugee immigrant widow widower orphan veteran mother father mom dad son daughter
    brother sister husband wife grandfather grandmother grandson granddaughter grandma grandpa grandchild
    uncle aunt nephew niece cousin twin boy girl man woman child kid teenager teen stranger neighbour
    neighbor friend boyfriend girlfriend fiance fiancee bride groom lover partner boss employee intern
    assistant secretary manager owner landlord landlady tenant king queen prince princess knight witch
    wizard ghost robot android alien vampire magician clown salesman saleswoman shopkeeper grocer butcher
    tailor carpenter plumber electrician blacksmith shepherd host guest patient customer passenger tourist
    traveller traveler hitchhiker drifter beggar busker mayor senator president candidate coach player
    champion rookie recruit cadet pupil mentor apprentice chauffeur conductor archaeologist historian
    astronomer biologist chemist physicist inventor programmer designer architect accountant pharmacist
    dentist vet veterinarian undertaker gravedigger mortician coroner psychiatrist therapist counselor
    counsellor hairdresser barber translator interpreter diplomat ambassador pirate deckhand stowaway logger
    trapper cowboy outlaw bandit rebel activist nomad hermit recluse survivor heir heiress tycoon millionaire
    billionaire gambler dealer hustler informant witness suspect victim juror lodger roommate classmate
    teammate colleague coworker sibling parent stepfather stepmother stepson stepdaughter babysitter tutor
    principal headmaster headmistress warden jailer innkeeper shopkeeper beekeeper zookeeper goalkeeper
    bookkeeper housekeeper lumberjack prospector surveyor ranger smuggler courier medium psychic fortune-teller
    bride ex-con ex-wife ex-husband mum mummy papa mama toddler infant baby teenager widower monarch emperor
    empress duke duchess lord lady servant slave peasant villager sailor mermaid giant dwarf elf orc dragon
    detective sculptor archivist curator collector auctioneer jeweller jeweler watchmaker clockmaker
    locksmith cartographer navigator radio-operator operator dispatcher controller technician scavenger
    poacher smuggler ferrywoman seamstress weaver potter glassblower brewer vintner winemaker sommelier
    critic reviewer editor publisher producer comedian stuntman stuntwoman acrobat juggler ventriloquist
    puppeteer magician illusionist bellhop concierge porter doorman receptionist cashier teller grocer
    florist mechanic welder roofer builder foreman arsonist smuggler kidnapper
    poisoner trucker ferryman""",
)
PLURAL_PERSONS = {
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
    "wives": "wife",
    "thieves": "thief",
    "policemen": "policeman",
    "fishermen": "fisherman",
    "firemen": "fireman",
}
KINSHIP = _words(
    """mother father mom dad mum papa mama son daughter brother sister husband wife grandfather grandmother
    grandson granddaughter grandma grandpa grandchild uncle aunt nephew niece cousin twin fiance fiancee
    boyfriend girlfriend stepfather stepmother stepson stepdaughter ex-wife ex-husband parent sibling
    friend neighbour neighbor partner lover boss"""
)
SIBLINGS = _words("sister brother twin sibling")
# Titles that go with a name: "Detective Ruiz" speaks as DETECTIVE RUIZ.
TITLES = _words(
    """mr mrs ms miss dr doctor detective inspector officer sheriff captain sergeant professor father sister
    brother uncle aunt grandma grandpa king queen prince princess lord lady sir dame judge agent coach nurse
    mayor senator president general colonel lieutenant admiral commander chief saint"""
)

# Places: interior (INT.) and exterior (EXT.) by their head noun.
INTERIORS = _words(
    """kitchen diner bar pub cafe restaurant hotel motel apartment flat house home bedroom bathroom attic
    basement cellar garage office studio library museum gallery church chapel cathedral temple mosque
    synagogue hospital clinic ward school classroom university lab laboratory factory warehouse workshop
    shop store bakery pharmacy bank casino theatre theater cinema booth courtroom court prison jail cell
    station precinct hangar gym lighthouse cabin cottage farmhouse mansion castle palace tower monastery
    convent orphanage hospice morgue salon barbershop laundromat elevator lobby corridor hallway stairwell
    car truck van taxi cab bus train subway plane airplane cockpit spaceship spacecraft submarine tent bunker
    embassy ring locker gymnasium mill bakery brewery distillery observatory planetarium aquarium arcade
    nightclub club lounge ballroom auditorium chamber vault archive attic loft shed barn stable greenhouse
    boathouse pawnshop bookshop bookstore diner canteen cafeteria dormitory dorm asylum sanatorium infirmary
    den study parlour parlor nursery cave mine tunnel inn tavern saloon chapel carriage wagon caravan trailer
    rv lift cabin elevator shelter studio apartment penthouse lab""",
)
EXTERIORS = _words(
    """street road highway bridge river lake sea ocean beach shore coast harbour harbor port dock docks pier
    marina island forest woods jungle desert mountain mountains hill valley canyon cliff cliffs field fields
    farm ranch meadow garden park yard backyard porch rooftop roof alley square plaza market cemetery
    graveyard village town city border camp campsite trail track racetrack platform boat ship ferry yacht
    raft canoe kayak lifeboat moon orbit battlefield trench swamp marsh glacier volcano waterfall vineyard
    orchard quarry crossroads highway motorway freeway parking lot driveway playground stadium courtyard
    lagoon bay reef estuary dunes prairie plains tundra steppe savanna heath moor moors fjord creek stream
    pond well orchard churchyard boardwalk promenade seafront waterfront riverbank lakeside hillside
    countryside outback wasteland junkyard scrapyard railway railroad runway airfield deck""",
)
# Places for a person whose logline names none: where such a person works.
ROLE_PLACES = {
    "keeper": "LIGHTHOUSE",
    "projectionist": "PROJECTION BOOTH",
    "chef": "RESTAURANT KITCHEN",
    "cook": "KITCHEN",
    "baker": "BAKERY",
    "boxer": "BOXING GYM",
    "fighter": "GYM",
    "nurse": "HOSPITAL WARD",
    "doctor": "HOSPITAL",
    "surgeon": "OPERATING ROOM",
    "cop": "POLICE STATION",
    "detective": "POLICE STATION",
    "officer": "POLICE STATION",
    "sheriff": "SHERIFF'S OFFICE",
    "teacher": "CLASSROOM",
    "student": "CLASSROOM",
    "professor": "LECTURE HALL",
    "astronaut": "SPACE STATION",
    "fisherman": "FISHING BOAT",
    "ferryman": "FERRY",
    "farmer": "FARM",
    "librarian": "LIBRARY",
    "priest": "CHURCH",
    "lawyer": "COURTROOM",
    "judge": "COURTROOM",
    "bartender": "BAR",
    "waitress": "DINER",
    "waiter": "RESTAURANT",
    "pilot": "COCKPIT",
    "sailor": "SHIP",
    "painter": "STUDIO",
    "artist": "STUDIO",
    "forger": "STUDIO",
    "musician": "REHEARSAL ROOM",
    "pianist": "CONCERT HALL",
    "singer": "NIGHTCLUB",
    "scientist": "LABORATORY",
    "thief": "STREET",
    "prisoner": "PRISON CELL",
    "inmate": "PRISON CELL",
    "miner": "MINE",
    "soldier": "BARRACKS",
    "journalist": "NEWSROOM",
    "reporter": "NEWSROOM",
    "mechanic": "GARAGE",
    "driver": "CAR",
    "janitor": "SCHOOL CORRIDOR",
    "gardener": "GARDEN",
    "clerk": "SHOP",
    "shopkeeper": "SHOP",
    "hacker": "APARTMENT",
    "spy": "HOTEL ROOM",
    "clockmaker": "WORKSHOP",
    "watchmaker": "WORKSHOP",
    "carpenter": "WORKSHOP",
    "beekeeper": "APIARY",
    "maid": "HOTEL ROOM",
    "radio-operator": "RADIO ROOM",
    "operator": "RADIO ROOM",
}
EXTERIOR_HINTS = EXTERIORS | _words("outside outdoors open")

TIME_WORDS = _words(
    """day night morning evening dawn dusk noon midnight nightfall sunset sunrise daybreak twilight tonight
    today tomorrow yesterday weekend week month year afternoon later continuous moment hour hours minute
    minutes season summer winter spring autumn fall christmas eve holiday holidays monday tuesday wednesday
    thursday friday saturday sunday january february march april may june july august september october
    november december daytime nighttime overnight lunchtime"""
)
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
MONTHS = _words("january february march april june july august september october november december")
DARK_WORDS = _words("night midnight nightfall tonight dusk sunset twilight evening")
LIGHT_WORDS = _words("morning dawn sunrise daybreak noon afternoon")

DETERMINERS = _words("a an the his her their its my our your this these those every each one two three")
POSSESSIVES = _words("his her their its my our your")
PREPOSITIONS = _words(
    """in at on of by near during when across into inside outside through over under from to toward towards
    around behind beyond beneath between among along about after before since until without within upon with
    against for full"""
)
PLACE_PREPOSITIONS = _words("in at into inside outside across near from to through toward towards around on aboard")
FUNCTION_WORDS = (
    DETERMINERS
    | PREPOSITIONS
    | _words(
        """and or but nor so yet if then than as that who whom whose which what where why how while once because
        although though unless whether not no is are was were be been being has have had do does did will would
        can could shall should may might must it he she they him them we us i you me himself herself themselves
        itself everyone someone anyone nobody everything something anything nothing all both some any more most
        other another such own same only just still even also very too again ever never always soon now here
        there up down out off away back"""
    )
)
NUMBER_WORDS = {"two": 2, "three": 3, "both": 2, "twin": 2, "twins": 2}

# Verbs that loglines use, in their base form; "-s", "-es", "-ed", "-ing" forms are recognised too.
VERBS = _words(
    """find learn teach try discover fall meet want need must lose win fight carry run hide steal rob save
    return leave come go get make take give keep break change decide realize realise struggle search seek
    travel escape chase hunt protect rescue confront face accept refuse plan plot trick kill die live love
    hate betray help join track follow investigate solve uncover reveal confess risk dare agree promise
    repair fix build write read sing dance paint play work sell buy open close start begin finish end bury
    dig sail cross drive fly swim climb wake sleep dream remember forget forgive apologize apologise
    reconnect reunite convince persuade recover rebuild train prepare compete race prove inherit receive
    send deliver bring hold stop wait watch see hear tell ask say answer call visit move stay set shot
    shoot hit miss own ruin stumble arrive wander guard smuggle forge kidnap abduct hijack blackmail
    threaten outwit survive navigate fight haunt seduce marry divorce adopt raise mourn grieve celebrate
    question doubt suspect fear believe hope wish attempt manage fail succeed turn become seem appear grow
    lie cheat lure coax bargain defend attack invade rebel rise discover unearth decode translate record
    film capture photograph perform host cook bake serve nurse heal treat cure infect spread pursue
    stalk sneak hitchhike kidnap wreck sink drown flood burn freeze melt argue chase leak fake
    spy sabotage negotiate ferry smash crash borrow lend owe pay hire fire quit scheme bet gamble""",
)
IRREGULAR_PAST = _words(
    """was were had did said went came saw took made found gave got knew thought told felt left stood sat
    ran brought began kept held wrote spoke broke chose drove ate fell forgot forgave hid lost meant met paid
    put read rode rose sang sank slept sold sent shook shot shut spent stole struck swam swore taught tore
    threw understood woke wore won hung lay led lit heard hurt built bought caught dug drew fought flew
    froze grew hit laid"""
)
SPEECH_VERBS = _words(
    """said says replied replies asked asks whispered whispers shouted shouts answered answers muttered mutters
    exclaimed exclaims yelled yells murmured murmurs added adds nodded nods smiled smiles sighed sighs laughed
    laughs shrugged shrugs continued continues explained explains responded responds remarked remarks cried
    cries snapped snaps growled growls grinned grins chuckled chuckles insisted insists admitted admits
    declared declares stammered stammers sobbed sobs"""
)
FIRST_SECOND_PERSON = _words(
    "i i'm i've i'll i'd me my mine myself we we're we've we'll us our ours you you're you've you'll your yours"
)
THIRD_PERSON_STARTS = _words("he she they his her their he's she's they're him them")

ADJECTIVES = _words(
    """old young retired former lonely grieving estranged late dead dying sick blind deaf ageing aging elderly
    troubled desperate reluctant ambitious shy bitter jaded rookie veteran disgraced broke struggling small
    big little tiny huge quiet loud last first lost new secret hidden mysterious strange haunted abandoned
    flooded empty dark cold warm remote distant local famous failed failing washed-up down-on-her-luck
    down-on-his-luck orphaned widowed single divorced pregnant runaway wounded injured exiled stubborn
    eccentric reclusive forgotten ancient stolen broken final missing dying fading burning sinking drowning
    great good bad best worst next whole only own real true false wrong right busy crowded deserted"""
)
# Names the outline may introduce on purpose when a logline has only one person.
INTRODUCED_NAMES = ("NORA", "ELI", "RUTH", "SAMUEL", "IRIS", "OWEN", "MAE", "JONAH")
INTRODUCED_ROLES = ("an old friend", "a neighbour", "a stranger", "a colleague")

# Capitalised words that are no one's name.
NOT_NAMES = _words(
    """god christmas easter english french american british spanish german italian chinese japanese russian
    mexican irish scottish african european asian ok okay tv internet"""
)
# First names a small model likes to invent; a block that brings one in unasked is sampled again.
COMMON_FIRST_NAMES = _words(
    """emma olivia ava sophia isabella mia charlotte amelia evelyn abigail emily elizabeth sofia ella
 madison scarlett victoria aria chloe camila penelope riley layla lillian lily nora zoey hannah
 addison eleanor natalie luna savannah brooklyn leah zoe stella ellie paisley audrey skylar
 claire bella aurora lucy anna samantha caroline aaliyah kennedy kinsley allison maya sarah
 madelyn adeline alexa ariana elena gabriella naomi alice sadie hailey eva emilia quinn
 piper everly cora kaylee lydia aubree arianna eliana peyton melanie gianna isabelle
 julia valentina nova clara vivian reagan mackenzie madeline brielle delilah isla rylee katherine sophie
 josephine liliana maria kylie emery adalynn natalia annabelle alexandra
 ximena ashley brianna raelynn mary athena andrea leilani jasmine lyla margaret alyssa adalyn
 arya norah khloe kayla eliza ariel alexis isabel juliana lauren iris emerson
 lilly charlie aliyah valeria arabella sara finley ryleigh jordyn jocelyn kimberly
 esther molly valerie cecilia anastasia laila mila amy kate jane susan linda karen nancy
 betty helen sandra donna carol ruth sharon michelle laura kathy rachel jenny jessica jennifer martha
 liam noah william james oliver benjamin elijah lucas mason logan alexander ethan jacob michael daniel
 henry jackson sebastian aiden matthew samuel david joseph owen wyatt john jack luke jayden dylan
 grayson levi isaac gabriel julian mateo anthony jaxon lincoln joshua christopher andrew theodore caleb
 ryan asher nathan thomas leo isaiah charles josiah hudson christian connor eli ezra aaron landon
 adrian jonathan nolan jeremiah easton elias colton cameron carson robert maverick nicholas dominic
 jaxson greyson adam ian austin santiago jordan brayden roman evan ezekiel xavier jose jace
 jameson leonardo bryson axel everett kayden miles sawyer jason declan weston micah ayden wesley
 luca vincent damian zachary silas gavin chase kai emmett harrison nathaniel kingston cole tyler
 bentley ryker tristan brandon kevin luis george ashton rowan braxton ryder gael ivan diego maxwell max
 carlos kaiden juan maddox justin waylon calvin giovanni jonah abel jayce amir beau camden
 alex jasper malachi brody jude blake emmanuel eric elliot antonio abraham timothy finn rhett
 elliott edward xander alan lorenzo bryce karter victor milo miguel hayden graham grant
 zion tucker jesse zayden joel richard patrick emiliano avery nicolas brantley dawson myles matteo
 steven thiago zane matias judah jeremy preston oscar kaleb alejandro marcus peter maximus
 barrett jax andres holden charlie knox kaden paxton kyle griffin josue kenneth beckett
 enzo adriel arthur felix bryan lukas paul brian colt caden leon omar israel aidan theo javier
 remington jaden bradley emilio colin riley cayden clayton simon nash derek rafael zander
 brady jorge jake louis damien karson maximiliano amari sean walter martin finley andre
 tobias corbin arlo iker erick emerson gunner cody stephen francisco killian reid manuel
 rylan jensen ronan beckham daxton anderson kameron raymond orion cristian tanner kyler jett
 cohen ricardo spencer gideon ali fernando jaiden titus travis bodhi eduardo dante ellis kane
 luka kash hendrix desmond donovan mario atticus cruz garrett hector angelo jeffrey edwin cesar zayn
 devin conor warren jayceon romeo julius jaylen hayes kayson muhammad jaxton joaquin caiden dakota
 keegan sergio marshall johnny kade edgar leonel ismael marco tyson wade collin troy nasir conner
 adonis jared rory andy jase lennox shane malik ari seth clark erik lawson trevor gage nico malakai
 quincy gary frank larry scott tom tommy bob bobby bill billy jim jimmy joe joey harry sam tim ben
 fred ted ron steve mike danny ricky rick chris pete tony nick jerry"""
)

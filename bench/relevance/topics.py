"""Hand-written modules of the relevance set: one topic per entry, in English and/or Dutch.

Each language gives (title, summary, [(heading, paragraph), ...]). `mention` is how another
page would refer to the topic in passing; corpus.py builds those pages from it.
"""

TOPICS = {
    "list-comprehension": {
        "mention": {"en": "list comprehensions", "nl": "list comprehensions"},
        "en": ("List comprehensions in Python",
               "Build a new list from an existing one in a single readable line.",
               [("What a list comprehension is",
                 "A list comprehension builds a list from another iterable: [x * 2 for x in "
                 "numbers]. It replaces a loop that appends to an empty list."),
                ("Filtering with if",
                 "Add a condition to keep only some items: [x for x in numbers if x > 0]. A "
                 "list comprehension with a condition stays readable when it fits on one line."),
                ("When to use a loop instead",
                 "Nested list comprehensions quickly become hard to read. Use a plain for loop "
                 "when the comprehension needs more than one condition.")]),
        "nl": ("List comprehensions in Python",
               "Maak in één leesbare regel een nieuwe lijst van een bestaande.",
               [("Wat een list comprehension is",
                 "Een list comprehension maakt een lijst uit een andere reeks: [x * 2 for x in "
                 "getallen]. Hij vervangt een lus die elementen aan een lege lijst toevoegt."),
                ("Filteren met if",
                 "Met een voorwaarde houd je alleen sommige elementen over: [x for x in getallen "
                 "if x > 0]. Een list comprehension blijft leesbaar zolang hij op één regel past."),
                ("Wanneer je beter een lus gebruikt",
                 "Geneste list comprehensions worden snel onleesbaar. Gebruik dan een gewone "
                 "for-lus.")]),
    },
    "closure": {
        "mention": {"en": "closures", "nl": "closures"},
        "en": ("Closures in JavaScript",
               "How a function remembers the variables around it, and why that is useful.",
               [("What a closure is",
                 "A closure is a function together with the variables of the scope it was "
                 "created in. The inner function keeps access to them after the outer function "
                 "returned."),
                ("Closures for private state",
                 "A counter made with a closure hides its count: only the returned function can "
                 "change it. This is the classic closure example."),
                ("A common closure mistake",
                 "Creating closures in a loop with var shares one variable between them; let "
                 "gives each closure its own.")]),
        "nl": ("Closures in JavaScript",
               "Hoe een functie de variabelen om zich heen onthoudt, en waarom dat handig is.",
               [("Wat een closure is",
                 "Een closure is een functie samen met de variabelen van de scope waarin ze is "
                 "gemaakt. De binnenste functie houdt er toegang toe, ook als de buitenste "
                 "functie allang klaar is."),
                ("Closures voor privégegevens",
                 "Een teller gemaakt met een closure verbergt zijn stand: alleen de "
                 "teruggegeven functie kan hem wijzigen."),
                ("Een veelgemaakte fout",
                 "Closures maken in een lus met var deelt één variabele; met let krijgt elke "
                 "closure zijn eigen variabele.")]),
    },
    "pointers": {
        "mention": {"en": "pointers", "nl": "pointers"},
        "en": ("Pointers in C",
               "Addresses, dereferencing and pointer arithmetic without the fear.",
               [("What a pointer holds",
                 "A pointer holds the memory address of a value. int *p = &x; makes p point to "
                 "x, and *p reads the value through the pointer."),
                ("Pointer arithmetic",
                 "Adding one to a pointer moves it to the next element of an array. Pointers "
                 "and arrays are closely related in C."),
                ("Null pointers and dangling pointers",
                 "Always check a pointer for NULL before using it, and never use a pointer to "
                 "memory that was freed.")]),
        "nl": ("Pointers in C",
               "Adressen, dereferentie en rekenen met pointers, zonder angst.",
               [("Wat een pointer bevat",
                 "Een pointer bevat het geheugenadres van een waarde. int *p = &x; laat p naar "
                 "x wijzen, en *p leest de waarde via de pointer."),
                ("Rekenen met pointers",
                 "Tel je één op bij een pointer, dan wijst hij naar het volgende element van "
                 "een array. Pointers en arrays hangen in C nauw samen."),
                ("Null-pointers",
                 "Controleer een pointer altijd op NULL voordat je hem gebruikt.")]),
    },
    "recursion": {
        "mention": {"en": "recursion", "nl": "recursie"},
        "en": ("Recursion explained",
               "A function that calls itself: base case, recursive case and the call stack.",
               [("Base case and recursive case",
                 "Every recursive function needs a base case that stops the recursion and a "
                 "recursive case that moves towards it."),
                ("The call stack",
                 "Each recursive call gets its own frame on the call stack; too deep a "
                 "recursion overflows it."),
                ("Recursion or a loop",
                 "Tree walks are natural with recursion; simple counting is clearer as a "
                 "loop.")]),
        "nl": ("Recursie uitgelegd",
               "Een functie die zichzelf aanroept: basisgeval, recursieve stap en de call stack.",
               [("Basisgeval en recursieve stap",
                 "Elke recursieve functie heeft een basisgeval dat de recursie stopt en een "
                 "recursieve stap die daar naartoe werkt."),
                ("De call stack",
                 "Elke recursieve aanroep krijgt een eigen frame op de stack; te diepe recursie "
                 "laat die overlopen."),
                ("Recursie of een lus",
                 "Een boom doorlopen gaat vanzelf met recursie; gewoon tellen is duidelijker "
                 "met een lus.")]),
    },
    "git-branches": {
        "mention": {"en": "git branches", "nl": "branches in Git"},
        "en": ("Working with Git branches",
               "Create, switch, merge and delete branches without losing work.",
               [("Creating a branch",
                 "git switch -c feature creates a branch and moves to it. A branch is just a "
                 "movable pointer to a commit."),
                ("Merging a branch",
                 "git merge brings the commits of another branch into yours; conflicts are "
                 "marked in the files."),
                ("Cleaning up branches",
                 "Delete a merged branch with git branch -d so the branch list stays short.")]),
        "nl": ("Werken met Git-branches",
               "Branches maken, wisselen, samenvoegen en verwijderen zonder werk kwijt te raken.",
               [("Een branch maken",
                 "git switch -c feature maakt een branch en gaat ernaartoe. Een branch is een "
                 "verplaatsbare verwijzing naar een commit."),
                ("Een branch samenvoegen",
                 "git merge haalt de commits van een andere branch binnen; conflicten worden "
                 "in de bestanden gemarkeerd."),
                ("Opruimen",
                 "Verwijder een samengevoegde branch met git branch -d.")]),
    },
    "unit-tests": {
        "mention": {"en": "unit tests", "nl": "unittests"},
        "en": ("Writing unit tests",
               "Small, fast tests that pin down what one function does.",
               [("Arrange, act, assert",
                 "A unit test sets up its data, calls the function once and asserts on the "
                 "result. Good unit tests test one behaviour each."),
                ("Test names that explain",
                 "Name a unit test after the behaviour it checks, so a failing test reads like "
                 "a bug report."),
                ("Mocks sparingly",
                 "Replace slow or external parts in unit tests, not the code under test.")]),
        "nl": ("Unittests schrijven",
               "Kleine, snelle tests die vastleggen wat één functie doet.",
               [("Voorbereiden, uitvoeren, controleren",
                 "Een unittest zet zijn gegevens klaar, roept de functie één keer aan en "
                 "controleert het resultaat. Een goede unittest test één gedrag."),
                ("Namen die uitleggen",
                 "Geef een unittest de naam van het gedrag dat hij controleert."),
                ("Zuinig met mocks",
                 "Vervang in unittests alleen trage of externe onderdelen.")]),
    },
    "regex": {
        "mention": {"en": "regular expressions", "nl": "reguliere expressies"},
        "en": ("Regular expressions",
               "Match patterns in text: character classes, quantifiers and groups.",
               [("Character classes",
                 "A regular expression like [a-z]+ matches one or more lowercase letters; \\d "
                 "matches a digit."),
                ("Quantifiers and groups",
                 "Quantifiers say how often: *, + and {2,3}. Parentheses group parts of a "
                 "regular expression and capture what they matched."),
                ("Keep regular expressions readable",
                 "Comment long regular expressions or split them up.")]),
        "nl": ("Reguliere expressies",
               "Patronen in tekst vinden: tekenklassen, kwantoren en groepen.",
               [("Tekenklassen",
                 "Een reguliere expressie als [a-z]+ vindt een of meer kleine letters; \\d "
                 "vindt een cijfer."),
                ("Kwantoren en groepen",
                 "Kwantoren zeggen hoe vaak: *, + en {2,3}. Haakjes groeperen delen van een "
                 "reguliere expressie."),
                ("Leesbaar houden",
                 "Zet uitleg bij lange reguliere expressies of splits ze op.")]),
    },
    "sql-joins": {
        "mention": {"en": "SQL joins", "nl": "joins in SQL"},
        "en": ("SQL joins",
               "Combine rows of two tables: inner, left and full joins with examples.",
               [("Inner join",
                 "An inner join keeps only rows that match in both tables: SELECT ... FROM "
                 "orders JOIN customers ON ..."),
                ("Left join",
                 "A left join keeps every row of the left table, with NULLs where the right "
                 "table has no match."),
                ("Choosing a join",
                 "Pick the join by asking which rows must never disappear.")]),
        "nl": ("SQL-joins",
               "Rijen van twee tabellen combineren: inner, left en full joins met voorbeelden.",
               [("Inner join",
                 "Een inner join houdt alleen rijen over die in beide tabellen passen."),
                ("Left join",
                 "Een left join houdt elke rij van de linkertabel, met NULL waar de "
                 "rechtertabel niets heeft."),
                ("De juiste join kiezen",
                 "Kies de join door te vragen welke rijen nooit mogen verdwijnen.")]),
    },
    "async": {
        "mention": {"en": "async code", "nl": "asynchrone code"},
        "en": ("Async and await",
               "Write asynchronous code that reads like ordinary code.",
               [("Promises underneath",
                 "An async function returns a promise; await pauses until the promise "
                 "settles."),
                ("Errors in async code",
                 "Wrap await in try and catch, or the rejection goes unnoticed."),
                ("Running in parallel",
                 "Start several promises first and await Promise.all to run them "
                 "concurrently.")]),
        "nl": ("Async en await",
               "Asynchrone code schrijven die leest als gewone code.",
               [("Promises eronder",
                 "Een async-functie geeft een promise terug; await wacht tot die klaar is."),
                ("Fouten in asynchrone code",
                 "Zet await in try en catch, anders valt een fout niemand op."),
                ("Tegelijk uitvoeren",
                 "Start eerst meerdere promises en wacht met Promise.all.")]),
    },
    "hash-tables": {
        "mention": {"en": "hash tables", "nl": "hashtabellen"},
        "en": ("Hash tables",
               "Why looking up a key in a dictionary takes constant time.",
               [("Hashing a key",
                 "A hash table turns a key into an index with a hash function and stores the "
                 "value in that bucket."),
                ("Collisions",
                 "Two keys can land in the same bucket; hash tables resolve collisions with "
                 "chaining or probing."),
                ("Resizing",
                 "When a hash table fills up it grows and rehashes every key.")]),
        "nl": ("Hashtabellen",
               "Waarom een sleutel opzoeken in een dictionary constante tijd kost.",
               [("Een sleutel hashen",
                 "Een hashtabel maakt met een hashfunctie van een sleutel een index en bewaart "
                 "de waarde in die bucket."),
                ("Botsingen",
                 "Twee sleutels kunnen in dezelfde bucket vallen; hashtabellen lossen dat op met "
                 "ketens of proberen."),
                ("Groeien",
                 "Raakt een hashtabel vol, dan groeit hij en hasht hij elke sleutel opnieuw.")]),
    },
    "big-o": {
        "mention": {"en": "big O notation", "nl": "de grote-O-notatie"},
        "en": ("Big O notation",
               "Describe how the running time of an algorithm grows with its input.",
               [("Growth, not seconds",
                 "Big O notation ignores constants: O(n) grows linearly, O(n log n) a little "
                 "faster, O(n²) quadratically."),
                ("Common complexities",
                 "Binary search is O(log n); sorting is O(n log n); nested loops are often "
                 "O(n²)."),
                ("Space complexity",
                 "Big O also describes memory use.")]),
        "nl": ("De grote-O-notatie",
               "Beschrijf hoe de looptijd van een algoritme groeit met de invoer.",
               [("Groei, geen seconden",
                 "De grote-O-notatie negeert constanten: O(n) groeit lineair, O(n²) "
                 "kwadratisch."),
                ("Veelvoorkomende complexiteit",
                 "Binair zoeken is O(log n); sorteren is O(n log n)."),
                ("Geheugen",
                 "De notatie beschrijft ook geheugengebruik.")]),
    },
    "code-review": {
        "mention": {"en": "code review", "nl": "codereview"},
        "en": ("Doing a code review",
               "Review code kindly and usefully: what to look for and how to say it.",
               [("What to look for in a code review",
                 "Read the change for correctness first, then clarity, then style. A code "
                 "review is about the code, not the author."),
                ("Writing review comments",
                 "Ask questions, suggest alternatives and mark what is optional."),
                ("Small changes review better",
                 "Keep pull requests small so the review stays focused.")]),
        "nl": ("Een codereview doen",
               "Code vriendelijk en nuttig reviewen: waar je op let en hoe je het zegt.",
               [("Waar je op let bij een codereview",
                 "Lees de wijziging eerst op juistheid, dan op duidelijkheid, dan op stijl. "
                 "Een codereview gaat over de code, niet over de auteur."),
                ("Reviewcommentaar schrijven",
                 "Stel vragen, doe voorstellen en geef aan wat optioneel is."),
                ("Kleine wijzigingen",
                 "Houd pull requests klein zodat de review gericht blijft.")]),
    },
    "docker": {
        "mention": {"en": "Docker", "nl": "Docker"},
        "en": ("Containers with Docker",
               "Package an application with everything it needs and run it anywhere.",
               [("Images and containers",
                 "A Docker image is a read-only template; a container is a running instance "
                 "of an image."),
                ("Writing a Dockerfile",
                 "A Dockerfile lists the steps to build an image: FROM, COPY, RUN and CMD."),
                ("Volumes",
                 "Keep data outside the container in a Docker volume.")]),
        "nl": ("Containers met Docker",
               "Verpak een applicatie met alles wat ze nodig heeft en draai haar overal.",
               [("Images en containers",
                 "Een Docker-image is een sjabloon; een container is een draaiende instantie "
                 "van een image."),
                ("Een Dockerfile schrijven",
                 "Een Dockerfile beschrijft de stappen om een image te bouwen."),
                ("Volumes",
                 "Bewaar gegevens buiten de container in een Docker-volume.")]),
    },
    "http-status": {
        "mention": {"en": "HTTP status codes", "nl": "HTTP-statuscodes"},
        "en": ("HTTP status codes",
               "What 200, 301, 404 and 500 tell the client, and which one to send.",
               [("The five classes",
                 "Status codes starting with 2 mean success, 3 redirection, 4 a client error "
                 "and 5 a server error."),
                ("404 or 403",
                 "Send 404 when a resource does not exist and 403 when the user may not see "
                 "it."),
                ("Never a 500 for bad input",
                 "Bad input deserves a 400 status code with a clear message.")]),
        "nl": ("HTTP-statuscodes",
               "Wat 200, 301, 404 en 500 de client vertellen, en welke je stuurt.",
               [("De vijf klassen",
                 "Statuscodes die met 2 beginnen betekenen succes, 3 doorverwijzing, 4 een fout "
                 "van de client en 5 een fout van de server."),
                ("404 of 403",
                 "Stuur 404 als iets niet bestaat en 403 als de gebruiker het niet mag zien."),
                ("Geen 500 bij foute invoer",
                 "Foute invoer verdient statuscode 400 met een duidelijke melding.")]),
    },
    "garbage-collection": {
        "mention": {"en": "garbage collection", "nl": "garbage collection"},
        "en": ("Garbage collection",
               "How a runtime finds memory nobody uses any more and frees it.",
               [("Reachability",
                 "A garbage collector frees objects that can no longer be reached from the "
                 "program's roots."),
                ("Generational garbage collection",
                 "Most objects die young, so generational collectors scan new objects often and "
                 "old ones rarely."),
                ("Pauses",
                 "Garbage collection pauses the program briefly; tune it when pauses hurt.")]),
        "nl": ("Geheugenbeheer met garbage collection",
               "Hoe een runtime geheugen vindt dat niemand meer gebruikt en het vrijgeeft.",
               [("Bereikbaarheid",
                 "Een garbage collector ruimt objecten op die het programma niet meer kan "
                 "bereiken."),
                ("Generaties",
                 "De meeste objecten sterven jong, dus nieuwe objecten worden vaak bekeken en "
                 "oude zelden."),
                ("Pauzes",
                 "Garbage collection pauzeert het programma even.")]),
    },
    "exceptions": {
        "mention": {"en": "exceptions", "nl": "exceptions"},
        "en": ("Handling exceptions",
               "Catch what you can handle, let the rest travel up, and never swallow errors.",
               [("Try and except",
                 "Wrap only the call that can fail in try, and catch the specific exception "
                 "you expect."),
                ("Raising exceptions",
                 "Raise an exception with a message that says what went wrong and what to do."),
                ("Cleaning up",
                 "Use finally or a context manager so resources are released even after an "
                 "exception.")]),
        "nl": ("Fouten afhandelen met exceptions",
               "Vang wat je kunt oplossen, laat de rest doorgaan en slik nooit fouten in.",
               [("Try en except",
                 "Zet alleen de aanroep die kan mislukken in try, en vang de specifieke "
                 "exception die je verwacht."),
                ("Zelf exceptions opwerpen",
                 "Geef een exception een melding die zegt wat er misging."),
                ("Opruimen",
                 "Gebruik finally zodat bronnen ook na een exception worden vrijgegeven.")]),
    },
    "pattern-matching": {
        "mention": {"en": "pattern matching"},
        "en": ("Pattern matching in Rust",
               "Match on enums, tuples and structs, and let the compiler check every case.",
               [("The match expression",
                 "match compares a value against patterns in order and runs the first arm "
                 "that fits."),
                ("Exhaustive pattern matching",
                 "The compiler refuses a match that forgets a variant of an enum."),
                ("if let",
                 "Use if let when only one pattern matters.")]),
    },
    "pivot-tables": {
        "mention": {"nl": "draaitabellen"},
        "nl": ("Draaitabellen in Excel",
               "Vat duizenden rijen samen in een overzicht dat je met slepen aanpast.",
               [("Een draaitabel maken",
                 "Selecteer je gegevens en kies Invoegen, Draaitabel. Sleep velden naar rijen, "
                 "kolommen en waarden."),
                ("Filteren en groeperen",
                 "Groepeer datums per maand en filter met slicers."),
                ("Vernieuwen",
                 "Verandert de brontabel, vernieuw dan de draaitabel.")]),
    },
    "time-management": {
        "mention": {"en": "time blocking", "nl": "tijdblokken"},
        "en": ("Managing your time with time blocking",
               "Plan your week in blocks so deep work gets the hours it needs.",
               [("What time blocking is",
                 "Time blocking means giving every task a block in your calendar instead of a "
                 "place on a list."),
                ("Protect the blocks",
                 "Treat a focus block like a meeting with yourself."),
                ("Review each Friday",
                 "Look back at which blocks held and plan the next week.")]),
        "nl": ("Je tijd indelen met tijdblokken",
               "Plan je week in blokken zodat geconcentreerd werk de uren krijgt die het nodig "
               "heeft.",
               [("Wat tijdblokken zijn",
                 "Werken met tijdblokken betekent dat elke taak een blok in je agenda krijgt in "
                 "plaats van een plek op een lijst."),
                ("Bescherm je blokken",
                 "Behandel een focusblok als een afspraak met jezelf."),
                ("Elke vrijdag terugkijken",
                 "Kijk welke blokken standhielden en plan de volgende week.")]),
    },
    "presentation": {
        "mention": {"en": "presentations", "nl": "presentaties"},
        "en": ("Giving a presentation",
               "Structure, slides and nerves: a presentation people remember.",
               [("One message",
                 "Decide the one thing the audience should remember before you make a single "
                 "slide."),
                ("Slides that help",
                 "One idea per slide, few words, large type."),
                ("Handling nerves",
                 "Practise the first two minutes of the presentation out loud.")]),
        "nl": ("Een presentatie geven",
               "Opbouw, slides en zenuwen: een presentatie die blijft hangen.",
               [("Eén boodschap",
                 "Bepaal wat het publiek moet onthouden voordat je één slide maakt."),
                ("Slides die helpen",
                 "Eén idee per slide, weinig woorden, grote letters."),
                ("Omgaan met zenuwen",
                 "Oefen de eerste twee minuten van je presentatie hardop.")]),
    },
    "salary-negotiation": {
        "mention": {"en": "salary negotiation", "nl": "salarisonderhandelingen"},
        "en": ("Negotiating your salary",
               "Prepare numbers, name a range and know your alternative.",
               [("Know the market",
                 "Collect salary data for your role before you negotiate."),
                ("Anchor with a range",
                 "Name a range whose bottom you would be happy with."),
                ("More than salary",
                 "Negotiate on training budget, hours or remote days when the salary is "
                 "fixed.")]),
        "nl": ("Onderhandelen over je salaris",
               "Bereid cijfers voor, noem een bandbreedte en ken je alternatief.",
               [("Ken de markt",
                 "Verzamel salarisgegevens voor je functie voordat je gaat onderhandelen."),
                ("Begin met een bandbreedte",
                 "Noem een bandbreedte waarvan je de onderkant ook prima vindt."),
                ("Meer dan salaris",
                 "Onderhandel over opleidingsbudget, uren of thuiswerkdagen als het salaris "
                 "vastligt.")]),
    },
    "burnout": {
        "mention": {"en": "burnout", "nl": "burn-out"},
        "en": ("Recognising burnout",
               "Early signs of burnout in yourself and your team, and what helps.",
               [("Early signs",
                 "Exhaustion, cynicism and feeling less effective are the three signs of "
                 "burnout."),
                ("Talking about it",
                 "Ask how someone is really doing, and listen without fixing."),
                ("Recovery takes time",
                 "Recovering from burnout takes months; plan the return together.")]),
        "nl": ("Burn-out herkennen",
               "Vroege signalen van een burn-out bij jezelf en je team, en wat helpt.",
               [("Vroege signalen",
                 "Uitputting, cynisme en je minder capabel voelen zijn de drie signalen van "
                 "een burn-out."),
                ("Erover praten",
                 "Vraag hoe het echt gaat, en luister zonder op te lossen."),
                ("Herstel kost tijd",
                 "Herstellen van een burn-out duurt maanden; plan de terugkeer samen.")]),
    },
    "job-interview": {
        "mention": {"en": "job interviews", "nl": "sollicitatiegesprekken"},
        "en": ("Running a job interview",
               "Structured questions, a fair scorecard and a good candidate experience.",
               [("Structured interview questions",
                 "Ask every candidate the same questions and score the answers on a "
                 "scorecard."),
                ("Behavioural questions",
                 "Ask for a real example: tell me about a time you disagreed with a "
                 "colleague."),
                ("After the interview",
                 "Score before you discuss, so the first opinion does not sway the rest.")]),
        "nl": ("Een sollicitatiegesprek voeren",
               "Gestructureerde vragen, een eerlijke beoordeling en een goede ervaring voor "
               "de kandidaat.",
               [("Gestructureerde vragen",
                 "Stel elke kandidaat dezelfde vragen en beoordeel de antwoorden op een "
                 "scorekaart."),
                ("Vragen naar gedrag",
                 "Vraag naar een echt voorbeeld: vertel over een keer dat je het oneens was "
                 "met een collega."),
                ("Na het gesprek",
                 "Geef eerst je score en bespreek daarna, zodat de eerste mening de rest niet "
                 "kleurt.")]),
    },
    "meeting-minutes": {
        "mention": {"en": "meeting minutes", "nl": "notulen"},
        "en": ("Taking meeting minutes",
               "Record decisions, actions and owners, not every word that was said.",
               [("Decisions and actions",
                 "Good meeting minutes list what was decided and who does what by when."),
                ("A template for minutes",
                 "Use the same headings every meeting: present, decisions, actions, open "
                 "questions."),
                ("Send the minutes the same day",
                 "Minutes sent within an hour get read; minutes sent a week later do not.")]),
        "nl": ("Notuleren tijdens een vergadering",
               "Leg besluiten, acties en eigenaren vast, niet elk woord dat gezegd is.",
               [("Besluiten en acties",
                 "Goede notulen van een vergadering noemen wat besloten is en wie wat doet, "
                 "en wanneer."),
                ("Een vast sjabloon",
                 "Gebruik elke vergadering dezelfde kopjes: aanwezig, besluiten, acties, open "
                 "vragen."),
                ("Verstuur de notulen dezelfde dag",
                 "Notulen die binnen een uur na de vergadering komen, worden gelezen.")]),
    },
    "project-budget": {
        "mention": {"en": "a project budget", "nl": "een projectbegroting"},
        "en": ("Making a project budget",
               "Estimate costs, add a contingency and track the budget as you go.",
               [("Estimating costs",
                 "List people, tools and services, and estimate each from a comparable "
                 "project."),
                ("Contingency",
                 "Add ten to twenty percent to the budget for what you cannot foresee."),
                ("Tracking the budget",
                 "Compare spending with the budget every month.")]),
        "nl": ("Een projectbegroting maken",
               "Schat kosten, neem een post onvoorzien op en bewaak de begroting onderweg.",
               [("Kosten schatten",
                 "Zet mensen, tools en diensten op een rij en schat elk op basis van een "
                 "vergelijkbaar project."),
                ("Onvoorzien",
                 "Tel tien tot twintig procent op bij de begroting voor wat je niet ziet "
                 "aankomen."),
                ("De begroting bewaken",
                 "Vergelijk elke maand de uitgaven met de begroting.")]),
    },
    "accessibility": {
        "mention": {"en": "accessibility", "nl": "toegankelijkheid"},
        "en": ("Accessible documents",
               "Headings, alt text and contrast so everyone can read what you write.",
               [("Use real headings",
                 "Screen readers navigate by headings; use the heading styles, not bold "
                 "text."),
                ("Alt text for images",
                 "Describe what an image shows and why it is there."),
                ("Contrast",
                 "Dark text on a light background; check the contrast ratio.")]),
        "nl": ("Toegankelijke documenten",
               "Koppen, alt-tekst en contrast zodat iedereen kan lezen wat je schrijft.",
               [("Gebruik echte koppen",
                 "Schermlezers navigeren via koppen; gebruik kopstijlen, geen vette tekst."),
                ("Alt-tekst bij afbeeldingen",
                 "Beschrijf wat een afbeelding laat zien en waarom ze er staat."),
                ("Contrast",
                 "Donkere tekst op een lichte achtergrond; controleer het contrast.")]),
    },
}

# Pages near a topic: a second module about it (a near-duplicate, graded 2) or a neighbouring
# topic (graded as given per query in queries.py). key -> (language, title, summary, body).
RELATED = {
    "list-comprehension-sheet": ("en", "Python list comprehension cheat sheet",
                                 "List comprehensions, dict comprehensions and set "
                                 "comprehensions on one page.",
                                 "A list comprehension: [f(x) for x in items]. With a filter: "
                                 "[x for x in items if ok(x)]. A dict comprehension: {k: v for "
                                 "k, v in pairs}. A set comprehension uses braces."),
    "generators": ("en", "Generator expressions in Python",
                   "Lazy sequences with generator expressions and yield.",
                   "A generator expression looks like a list comprehension with parentheses: "
                   "(x * 2 for x in numbers). It produces values one at a time instead of "
                   "building the whole list. Functions with yield are generators too."),
    "coffeescript-comprehensions": ("en", "Comprehensions in CoffeeScript",
                                    "Loops as expressions in CoffeeScript.",
                                    "CoffeeScript turns loops into comprehensions: "
                                    "doubled = (x * 2 for x in list). Unlike a Python list "
                                    "comprehension, every loop in CoffeeScript is an "
                                    "expression."),
    "python-closures": ("en", "Closures in Python",
                        "Nested functions, nonlocal and late binding.",
                        "A nested function in Python is a closure over the variables of its "
                        "enclosing function. Use nonlocal to assign to them. Closures created "
                        "in a loop bind late: each sees the last value."),
    "cpp-references": ("en", "Pointers and references in C++",
                       "When to use a reference, a raw pointer or a smart pointer.",
                       "C++ adds references to C's pointers. Prefer references for parameters "
                       "that are never null, and smart pointers such as unique_ptr for "
                       "ownership. Raw pointers remain for optional, non-owning access."),
    "go-pointers": ("en", "Pointers in Go",
                    "Go has pointers but no pointer arithmetic.",
                    "In Go, &x takes the address of x and *p reads through the pointer p. "
                    "There is no pointer arithmetic, and the garbage collector frees what no "
                    "pointer reaches."),
    "git-branches-sheet": ("nl", "Git-branches: spiekbriefje",
                           "De git-commando's voor branches op één pagina.",
                           "git switch -c naam maakt een branch. git merge naam voegt een "
                           "branch samen. git branch -d naam verwijdert een samengevoegde "
                           "branch. git branch toont alle branches."),
    "minutes-template": ("nl", "Sjabloon voor notulen",
                         "Een invulbaar sjabloon voor de notulen van je vergadering.",
                         "Datum, aanwezigen, besluiten, acties met eigenaar en deadline, open "
                         "vragen. Kopieer dit sjabloon voor notulen naar je eigen document."),
}

# Longer pages with a section on a topic (graded 2 for it) or using its word many times in
# another context: (language, title, summary, [(heading, paragraph), ...]); translations share
# the key before "@".
SECTIONED = {
    "python-basics@en": ("en", "Python basics for beginners",
                         "Variables, loops, functions and lists: your first Python programs.",
                         [("Variables and types",
                           "Python variables need no declaration; a value has a type, a name "
                           "does not."),
                          ("Loops",
                           "A for loop walks over any iterable; while repeats until a condition "
                           "fails."),
                          ("List comprehensions",
                           "A short way to build a list from a loop: squares = [n * n for n in "
                           "range(10)]."),
                          ("Functions",
                           "Define functions with def, give parameters defaults, and return "
                           "values.")]),
    "python-basics@nl": ("nl", "Python voor beginners",
                         "Variabelen, lussen, functies en lijsten: je eerste Python-programma's.",
                         [("Variabelen en types",
                           "In Python declareer je geen variabelen; een waarde heeft een type."),
                          ("Lussen",
                           "Een for-lus loopt over elke reeks; while herhaalt zolang een "
                           "voorwaarde klopt."),
                          ("List comprehensions",
                           "Een korte manier om een lijst te maken: kwadraten = [n * n for n in "
                           "range(10)]."),
                          ("Functies",
                           "Maak functies met def en geef waarden terug met return.")]),
    "swift-functional@en": ("en", "Functional programming in Swift",
                            "map, filter and reduce with Swift closures.",
                            [("Closure syntax",
                              "Swift closures are written in braces: { x in x * 2 }. Trailing "
                              "closure syntax moves the closure after the call."),
                             ("map, filter and reduce",
                              "Each takes a closure: numbers.map { $0 * 2 }. Escaping closures "
                              "outlive the call and must be marked @escaping."),
                             ("Capturing values",
                              "A closure captures the variables it uses; capture lists such as "
                              "[weak self] avoid reference cycles.")]),
    "moonscript@en": ("en", "MoonScript in ten minutes",
                      "A whirlwind tour of MoonScript for Lua programmers.",
                      [("Syntax",
                        "MoonScript compiles to Lua and uses significant whitespace."),
                       ("Comprehensions",
                        "Like a list comprehension elsewhere, doubled = [x * 2 for x in *items] "
                        "builds a table."),
                       ("Classes",
                        "class Thing with a constructor new: => gives Lua objects.")]),
    "c-strings@en": ("en", "Strings in C",
                     "char arrays, the terminating zero and the standard string functions.",
                     [("A string is an array",
                       "A C string is an array of char ending in a zero byte; a char pointer "
                       "points to its first character."),
                      ("Copying safely",
                       "strcpy trusts the destination to be large enough; prefer snprintf or "
                       "strncpy with an explicit size."),
                      ("Pointers into strings",
                       "strchr returns a pointer into the string, not a copy; pointers to "
                       "string literals must not be written through.")]),
}


"""The judged queries: (query, learner's language, {translation group: grade}).

Grades: 3 the module about exactly this; 2 a good answer (a near-duplicate, the same topic in
another setting); 1 related or mentions the topic usefully. Every page built to mention a topic
only in passing (corpus.py, "<topic>~mention-N") is graded 1 for that topic's queries
automatically (see relevance.py); everything not listed is 0. A group is judged once: a second
result of the same translation group adds nothing.
"""

LC = {"list-comprehension": 3, "list-comprehension-sheet": 2, "generators": 1,
      "coffeescript-comprehensions": 1}
CLOSURE = {"closure": 3, "python-closures": 2}
POINTERS = {"pointers": 3, "cpp-references": 2, "go-pointers": 2}
GIT = {"git-branches": 3, "git-branches-sheet": 2}
MINUTES = {"meeting-minutes": 3, "minutes-template": 2}

QUERIES = [
    # Programming, English
    ("list comprehension", "en", LC),
    ("list comprehensions python", "en", LC),
    ('"list comprehension"', "en", LC),
    ("closure", "en", CLOSURE),
    ("closures javascript", "en", {"closure": 3, "python-closures": 1}),
    ("pointers", "en", POINTERS),
    ("pointer arithmetic", "en", {"pointers": 3, "go-pointers": 1}),
    ("recursion", "en", {"recursion": 3}),
    ("call stack", "en", {"recursion": 3}),
    ("git branch", "en", GIT),
    ("merge branch", "en", GIT),
    ("unit tests", "en", {"unit-tests": 3}),
    ("regular expressions", "en", {"regex": 3}),
    ("regex groups", "en", {"regex": 3}),
    ("sql join", "en", {"sql-joins": 3}),
    ("left join", "en", {"sql-joins": 3}),
    ("async await", "en", {"async": 3}),
    ("hash table", "en", {"hash-tables": 3}),
    ("big o notation", "en", {"big-o": 3}),
    ("code review", "en", {"code-review": 3}),
    ("docker", "en", {"docker": 3}),
    ("dockerfile", "en", {"docker": 3}),
    ("404 status code", "en", {"http-status": 3}),
    ("garbage collection", "en", {"garbage-collection": 3, "go-pointers": 1}),
    ("exceptions", "en", {"exceptions": 3}),
    ("pattern matching", "en", {"pattern-matching": 3}),
    ("generator expression", "en", {"generators": 3, "list-comprehension": 1}),
    # Programming, Dutch
    ("list comprehension", "nl", LC),
    ("recursie", "nl", {"recursion": 3}),
    ("pointers", "nl", POINTERS),
    ("branch samenvoegen", "nl", GIT),
    ("unittests schrijven", "nl", {"unit-tests": 3}),
    ("reguliere expressie", "nl", {"regex": 3}),
    ("hashtabel", "nl", {"hash-tables": 3}),
    ("grote o notatie", "nl", {"big-o": 3}),
    ("codereview", "nl", {"code-review": 3}),
    ("statuscodes", "nl", {"http-status": 3}),
    ("fouten afhandelen", "nl", {"exceptions": 3}),
    ("draaitabel", "nl", {"pivot-tables": 3}),
    ("asynchrone code", "nl", {"async": 3}),
    # Work, English
    ("time blocking", "en", {"time-management": 3}),
    ("presentation", "en", {"presentation": 3, "giving-a-good-demo": 1}),
    ("salary negotiation", "en", {"salary-negotiation": 3}),
    ("burnout", "en", {"burnout": 3}),
    ("job interview questions", "en", {"job-interview": 3}),
    ("meeting minutes", "en", MINUTES | {"running-a-short-meeting": 1}),
    ("project budget", "en", {"project-budget": 3}),
    ("alt text", "en", {"accessibility": 3}),
    ("retrospective", "en", {"running-a-retrospective": 3}),
    ("feedback", "en", {"giving-feedback-that-lands": 3, "asking-for-feedback": 3,
                        "code-review": 1}),
    ("one-on-one", "en", {"a-good-one-on-one": 3, "the-30-day-conversation": 1}),
    ("delegating", "en", {"delegating-with-autonomy": 3}),
    ("psychological safety", "en", {"psychological-safety-in-practice": 3}),
    ("onboarding buddy", "en", {"onboarding-with-a-buddy": 3}),
    # Work, Dutch
    ("tijdblokken", "nl", {"time-management": 3}),
    ("presentatie geven", "nl", {"presentation": 3}),
    ("salaris onderhandelen", "nl", {"salary-negotiation": 3}),
    ("burn-out", "nl", {"burnout": 3}),
    ("sollicitatiegesprek", "nl", {"job-interview": 3}),
    ("notulen vergadering", "nl", MINUTES),
    ("begroting", "nl", {"project-budget": 3}),
    ("toegankelijk", "nl", {"accessibility": 3}),
    ("feedback geven", "nl", {"giving-feedback-that-lands": 3, "asking-for-feedback": 2}),
    ("overdracht vakantie", "nl", {"een-goede-overdracht-voor-je-vakantie": 3}),
    ("kwartaalgesprek", "nl", {"het-kwartaalgesprek": 3}),
    ("onenigheid", "nl", {"omgaan-met-onenigheid": 3}),
    ("verwachtingen", "nl", {"making-expectations-clear": 3}),
    # Typos (both languages)
    ("pyhton list comprehension", "en", LC),
    ("recusion", "en", {"recursion": 3}),
    ("closrue", "en", CLOSURE),
    ("dokcer", "en", {"docker": 3}),
    ("presentaton", "en", {"presentation": 3}),
    ("retrospectve", "en", {"running-a-retrospective": 3}),
    ("vergaderign notulen", "nl", MINUTES),
    ("onderhandlen salaris", "nl", {"salary-negotiation": 3}),
    ("sollicitatiegesprk", "nl", {"job-interview": 3}),
    ("draaitabelen", "nl", {"pivot-tables": 3}),
]

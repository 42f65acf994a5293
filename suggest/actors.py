"""Actor rules: who says or does something in the story.

The reading the fixture follows (and the held-out gold): every mention of an entity that says or
does something in the story is an actor; one only talked about is not; a place that only locates
the story is not; the X of "according to X" is; an adjective alone ("Chinese") is not; bylines,
datelines and credits are not annotated.

So the rules first find the entities that act, each by one of these (an earlier rule's span wins
an overlap):
- `entity`: an alias of an entity the corpus already knows (always proposed, except where
  it only locates: "in Gaza");
- `title`: a title and a name ("President Joe Biden", "spokesman Lin Jian");
- `speaker`: a name or a speaking noun phrase joined to a cue of speech ("Lin said",
  "told Al Mayadeen", "according to Reuters", "a Palestinian source told");
- `agent`: the name after "by" ("headed by Musa Abu Marzouk", "a surprise attack by Hamas");
- `subject`: a name (or names joined by "and"), or a demonym with a group noun ("Israeli
  forces"), that is the subject of a saying or doing verb ("Hamas rejected", "Israel has been
  waging"), an appositive or "of" phrase in between allowed ("Ali Hossain, a farmer, cultivated");
- `org`: a name shaped like an organisation ("Gaza's Ministry of Health"), or on a
  short list of agencies and groups news quotes, that acts, speaks or is the X of a cue;
and then `mention` proposes every other mention of those names (a person's surname alone
too: "Lin Jian" … "Lin"), except where it only locates.

Speed: one scan finds the capitalised name sequences; everything else is set look-ups and
regexes anchored at those positions, so a 200,000-character article takes tens of milliseconds.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from suggest.asides import aside_ranges, outside
from suggest.model import KnownEntity, Suggestion, word_set
from suggest.scan import both_cases, find_watched, trie_pattern, watch

# A capitalised word, or an initial followed by more of the name ("Elizabeth A. Hoge").
_CAP = r"(?:[A-Z]\.(?=[^\S\n]+[A-Z])|[A-Z][\w’'.&-]*[\w]|[A-Z])"
_PARTICLE = r"(?:al-|el-|bin|ibn|abu|de|da|del|van|von|der|bint|la|le|du|of\s+the|of|for)"
_GAP = r"[^\S\n]+"
# Starts with a capital (the regex engine scans for that character class fast); what may not
# come before a name is checked in Python (`_NOT_BEFORE_NAME`).
_NAMED = re.compile(rf"{_CAP}(?:{_GAP}(?:{_PARTICLE}{_GAP}|{_PARTICLE}(?=[A-Z]))?{_CAP}){{0,5}}")
_NOT_BEFORE_NAME = frozenset("’'@#&-_")
_PARTICLE_WORDS = word_set("al- el- bin ibn abu de da del van von der bint la le du of the for and")

_SPEECH = (
    "said|says|say|told|tells|added|adds|stated|states|announced|announces|claimed|claims|"
    "declared|declares|noted|notes|explained|explains|argued|argues|warned|warns|insisted|"
    "insists|confirmed|confirms|denied|denies|reported|reports|wrote|writes|tweeted|posted|"
    "stressed|stresses|emphasized|emphasised|emphasizes|emphasises|asserted|asserts|"
    "acknowledged|acknowledges|alleged|alleges|estimated|estimates|revealed|reveals|"
    "disclosed|affirmed|affirms|maintained|maintains|suggested|suggests|replied|responded|"
    "commented|remarked|indicated|indicates|underlined|underscored|clarified|"
    "hopes|hoped|described|describes|recalled"
)
_ACTION = (
    "agreed|agrees|signed|signs|held|holds|met|meets|rejected|rejects|accused|accuses|called|"
    "calls|urged|urges|killed|kills|launched|launches|ordered|orders|decided|decides|refused|"
    "refuses|pledged|pledges|promised|promises|vowed|vows|welcomed|welcomes|condemned|"
    "condemns|criticised|criticized|criticises|criticizes|attacked|attacks|struck|strikes|"
    "arrested|released|releases|sent|sends|seized|approved|approves|voted|votes|hosted|hosts|"
    "sought|seeks|demanded|demands|proposed|proposes|submitted|filed|won|wins|"
    "raised|raises|cut|cuts|plans|planned|wants|wanted|remains|remained|expressed|expresses|"
    "invited|invites|imposed|imposes|blamed|blames|threatened|threatens|bombed|bombs|fired|"
    "fires|captured|captures|withdrew|withdraws|deployed|deploys|backed|backs|supported|"
    "supports|opposed|opposes|published|publishes|issued|issues|recognized|recognised|"
    "recognizes|recognises|offered|offers|received|receives|carried|carries|led|leads|"
    "brokered|mediated|negotiated|sees|saw|view|views|viewed|tried|tries|"
    "began|begins|started|starts|continues|continued|established|formed|joined|joins|"
    "headed|heads|chaired|chairs|visited|visits|appointed|appoints|dismissed|accepted|"
    "accepts|stopped|stops|halted|halts|blocked|blocks|allowed|allows|prevented|prevents|"
    "intercepted|reiterated|reiterates|obtained|obtains|opened|opens|closed|closes|produced|"
    "produces|cultivated|cultivates|grew|grows|sold|sells|bought|buys|"
    "reached|reaches|controls|controlled|runs|ran|exercises|arrived|arrives|"
    ""
    "declined|declines|dropped|drops|"
    "embraced|embraces|advertised|introduced|introduces|enjoys|enjoyed|earned|earns|"
    "improved|improves|learned|learnt|struggled|meets|met|discussed|discusses|"
    "insisted|emphasized|monitors|monitored|reached|"
    "obtained|responded|stressed|expects|expected|"
    "helps|helped|faces|faced|lost|loses|gave|gives|took|takes|made|makes"
)
_AUX = r"has|have|had|will|would|could|can|must|should|may|might|do|does|did|shall"
_ADVERB = (
    r"(?:[a-z]+ly\s+|also\s+|not\s+|then\s+|later\s+|previously\s+|already\s+|still\s+"
    r"|now\s+|too\s+|finally\s+|again\s+|since\s+|once\s+again\s+)?"
)
_SPEECH_RE = trie_pattern(_SPEECH.split("|"))
_SPEECH_OR_ACTION_RE = trie_pattern(_SPEECH.split("|") + _ACTION.split("|"))
_CUE_AFTER = re.compile(rf"\s*,?\s+{_ADVERB}{_SPEECH_RE}\b")
# Words in -ing after "is/are/was/were" that describe rather than act ("Results were sobering").
_ING_ADJECTIVES = trie_pattern(
    word_set(
        """being going interesting sobering surprising disappointing encouraging promising
        worrying alarming amazing exciting missing outstanding ongoing growing existing remaining
        following upcoming willing lacking striking troubling concerning damning shocking
        confusing misleading pressing booming thriving"""
    )
)
_ACTS_AFTER = re.compile(
    rf"(?!\s+(?:has|have|had)\s+been\s+[a-z]+(?:ed|en)\b)"
    rf"(?:’s?|'s?)?\s+{_ADVERB}(?:{_SPEECH_OR_ACTION_RE}\b|(?:{_AUX})\s+(?:not\s+)?"
    rf"(?:also\s+|been\s+|already\s+|just\s+|now\s+|since\s+|n’t\s+)?[a-z]+\b"
    rf"|(?:is|are|was|were)\s+(?:also\s+|now\s+|still\s+|[a-z]+ly\s+)?(?:expected|set|due|"
    rf"scheduled|ready|aware|(?!(?:{_ING_ADJECTIVES})\b)[a-z]{{3,}}ing)\b)"
)
# "Ali Hossain, a farmer of Baroipara village, cultivated": an appositive or "of" phrase between
# a name and its verb.
_APPOSITIVE = re.compile(
    r"(?:\s*,\s+(?:a|an|the|one|who|which|its|his|her|their|[A-Z][\w-]*)\b[^,\n]{0,90},"
    r"|\s+(?:of|in|at|from)\s+(?:the\s+)?[A-Z][\w’'-]*"
    r"(?:\s+(?!(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|should|do"
    r"|does|did)\b)[A-Za-z][\w’'-]*){0,2})"
)
_CUE_WORDS_BEFORE = frozenset(("said", "told", "says", "tells", "quoting", "added"))
_CUE_PHRASES_BEFORE = frozenset(
    (("according", "to"), ("quoted", "by"), ("cited", "by"), ("reported", "by"), ("said", "by"))
)
_LOCATING = word_set(
    "in at near across throughout inside outside into within around toward towards onto "
    "upon off beyond under"
)
# A name right after one of these is the object of a preposition, not the subject of the verb
# that follows it ("pressure on Israel may influence").
_PREPOSITIONS = _LOCATING | word_set(
    "of on with against to from for about over between among than into via like unlike "
    "despite amid including versus vs. per"
)
_TITLE_WORDS = word_set(
    """president vice prime minister foreign defence defense finance interior secretary
    secretary-general chancellor chairman chairwoman chair commissioner director
    director-general general gen. lt. col. maj. capt. sgt. adm. admiral colonel lieutenant
    brigadier dr dr. mr mr. mrs mrs. ms ms. prof prof. professor senator sen. rep.
    representative congressman congresswoman governor gov. mayor king queen crown prince
    princess sheikh emir ambassador envoy judge justice pope rabbi imam speaker premier sultan
    ayatollah spokesperson spokesman spokeswoman spokespeople commander chief leader head
    official adviser advisor founder member negotiator mediator officer analyst researcher
    economist expert correspondent reporter editor journalist activist lawyer attorney deputy
    author co-author
    coordinator delegate lawmaker legislator ceo executive diplomat cfo coo chairperson
    sub-assistant assistant additional acting former senior"""
)
_ORG_HEADS = word_set(
    """Ministry Department Agency Council Authority Office Organization Organisation Commission
    Committee Army Forces Police Court Parliament Congress Senate Government Party Movement
    Front Union Fund Institute University Association Federation Corporation Company Group
    Brigades Brigade Guard Guards Service Services Bureau Assembly Cabinet Administration
    Nations Network Times Post Press News Television TV Radio Foundation Center Centre
    Coalition Alliance League Board Program Programme Mission Forum Tribunal Reserve
    Observatory Inc. Inc Ltd Co. Corp. LLC Media Broadcasting Corps Directorate Secretariat
    Embassy Consulate Presidency Healthcare Hospital Clinic Bank Resistance Group"""
)
_KNOWN_ORG_TEXT = """United Nations|UN|UNRWA|UNICEF|WHO|NATO|EU|European Union|IMF|World Bank|
Red Cross|
    Red Crescent|Hamas|Fatah|Hezbollah|Hizbollah|Islamic Jihad|PLO|Palestinian Authority|IDF|
    Houthis|Taliban|ISIS|ISIL|Pentagon|White House|Kremlin|State Department|Reuters|
    Associated Press|AP|AFP|Agence France-Presse|Anadolu|Xinhua|Al Jazeera|Al-Jazeera|Aljazeera|
    Al Arabiya|Al Mayadeen|BBC|CNN|TASS|Bloomberg|WAFA|Amnesty International|
    Human Rights Watch|OCHA|ICRC|Mossad|Shin Bet|Knesset|Congress|Senate|Supreme Court|ICJ|ICC|
    OPEC|ASEAN|African Union|Arab League|Interpol|Europol|FBI|CIA|NASA|Google|Meta|
    Facebook|Twitter|Apple|Microsoft|Amazon"""
_KNOWN_ORGS = frozenset(" ".join(name.split()) for name in _KNOWN_ORG_TEXT.split("|"))
# Words that start a sentence or a phrase in capitals but never begin a name.
_NOT_NAME_WORDS = word_set(
    """The A An In On At Of And Or But For With From To By As If When While After Before Since
    During Both This That These Those It Its He She They We You I His Her Their Our My Your
    There Here What Which Who Whom Whose Why How Where Meanwhile However Moreover Additionally
    Also Currently Earlier Later Today Yesterday Tomorrow Last Next Some Many Most All Each
    Every Other Another Such No Not Yes According Despite Although Though Because Thus Hence
    Still Then Now Watch Read More Photo Video Image Source Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday January February March April May June July August September October
    November December Under Over Into Through Among Between Against Without Within Upon Until
    Amid Following Instead Indeed Further Furthermore Finally First Second Third Once Even
    Only Just Like Unlike Whether Given Please Sign Subscribe Share Related Advertisement
    Breaking Update Updated Note Opinion Analysis Similarly Recalling
    Most Many Several Both Neither Either Unlock Do Did Does Is Are Was Were Be Has Have
    Had Will Would Could Should Can May Might Must Yes Recently Eventually Commonly One
    MD PhD Jr Sr"""
)
_DEMONYM = re.compile(
    r"[A-Z][a-z]+(?:ian|ean|ese|ish|ic)|American|Mexican|German|Cuban|Moroccan|Venezuelan|"
    r"Afghan|Dominican|Puerto\s+Rican|Israeli|Iraqi|Saudi|Emirati|Qatari|Yemeni|Arab|"
    r"Kuwaiti|Pakistani|Bangladeshi|Thai|Swiss|Dutch|French|Greek|British|Welsh|Irish|Scottish"
)
_GROUP_NOUNS = word_set(
    """army military forces troops police government officials authorities side delegation
    negotiators leadership cabinet parliament media source sources ministry navy regime
    administration leader leaders fighters militants gunmen settlers court prosecutors factions
    groups organisations organizations movement movements parties officers diplomats spokesman
    spokeswoman spokesperson envoy official agency newspaper daily broadcaster channel outlet
    website television"""
)
_GROUP_AFTER = re.compile(
    r"(?:[^\S\n]+(?:and|or)[^\S\n]+[a-z]+)?[^\S\n]+(?:[a-z]+[^\S\n]+)?"
    rf"(?:intelligence\s+officials|news\s+agency|{trie_pattern(_GROUP_NOUNS)})\b"
)
_SPEAKER_WORDS = word_set(
    """source sources official officials spokesman spokeswoman spokesperson spokespeople
    diplomat diplomats witness witnesses analyst analysts expert experts lawmaker lawmakers
    negotiator negotiators mediator mediators observer observers media doctors residents"""
)
# Groups that act in a story as a whole ("Researchers are studying", "Private equity firms
# were active"): a subject of a saying or doing verb, outside quotation marks.
_GROUP_WORDS = word_set(
    """researchers scientists executives investors companies firms providers regulators vendors
    customers buyers employers teachers educators schools boards committees legislators
    authorities police protesters activists voters unions businesses agencies economists
    scholars critics officials analysts experts"""
)
# A document is the X of "according to X" ("according to a June report").
_DOCUMENT_WORDS = word_set("report survey study poll analysis review audit")
_SPEAKER_KIND = {
    **{w: "speaker" for w in _SPEAKER_WORDS},
    **{w: "document" for w in _DOCUMENT_WORDS},
    **{c: "group" for c in both_cases(_GROUP_WORDS)},
}
watch(_SPEAKER_KIND)
_AND_GROUP = re.compile(r"[^\S\n]+and[^\S\n]+(?:[a-z]+[^\S\n]+)?[a-z]+s\b")
_WORD_SPAN = re.compile(r"[^\s“\"(]+")
_NP_WORD = re.compile(r"[A-Za-z][\w’'-]*$")
_NP_STOP = word_set(
    """said told says say according to by of in on at for with from and or but that which who
    as when while after before since the so because if than then can will would could"""
)
_NP_STOP_NOT_THE = _NP_STOP - {"the"}
_OF_NAME = re.compile(
    rf"[^\S\n]+(?:of|for)[^\S\n]+(?:the[^\S\n]+)?{_CAP}(?:[^\S\n]+(?:and[^\S\n]+)?{_CAP}){{0,3}}"
)
_PAREN_ACRONYM = re.compile(r"[^\S\n]*\(([A-Z][A-Z0-9&]{1,8})\)")
_AND_NEXT = re.compile(r"(?:[^\S\n]+and|,[^\S\n]+and)[^\S\n]+(?:the[^\S\n]+|#)?(?=[A-Z])")
_LIST_NEXT = re.compile(r"(?:,|[^\S\n]+and|,[^\S\n]+and)[^\S\n]+(?:the[^\S\n]+|#)?(?=[A-Z])")
_CREDIT_AFTER = re.compile(r"\s+contributed\s+to\s+this\s+(?:report|story|article)")
_POSSESSIVE_AFTER = re.compile(r"(?:’s|'s|’|')(?=\s)")


@dataclass(slots=True)
class _Name:
    start: int
    end: int
    words: tuple[str, ...]


def actor_suggestions(text: str, entities: Sequence[KnownEntity] = ()) -> list[Suggestion]:
    """Every actor the rules find in `text`, in text order, none overlapping."""
    names = list(_names(text))
    taken = _Taken(text)
    _transcript_speakers(text, taken)
    for alias_start, alias_end in _entity_matches(text, names, entities):
        if not _locates(text, alias_start) and _proposable(text, alias_start, alias_end):
            taken.add(alias_start, alias_end, "entity")
    acting = taken.acting
    for index, name in enumerate(names):
        # A name already found acting is proposed again by `_mentions` (with the same checks
        # of place, caption and credit); classify it again only where a rule could take more
        # than the name (a group noun after it: "Hamas delegation").
        if (
            acting.get(name.words[0] if len(name.words) == 1 else " ".join(name.words), "mention")
            != "mention"
            and name.words[0].lower() not in _TITLE_WORDS
            and _GROUP_AFTER.match(text, name.end) is None
        ):
            continue
        _classify(text, names, index, name, taken)
    _coordinated(text, names, taken)
    _speaker_phrases(text, taken)
    _mentions(text, names, taken)
    asides = aside_ranges(text)
    return sorted(
        (
            span
            for span in taken.found
            if outside(asides, span.start) and not _credited_before(text, span.start)
        ),
        key=lambda s: (s.start, s.end),
    )


# A broadcast transcript's speaker label at the start of a line: "ZEPH CAPO: They do believe…",
# "SACHA PFEIFFER, HOST: …". The host's and reporter's labels are credits.
_SPEAKER_LABEL = re.compile(
    r"^(?P<name>[A-Z][A-Z’'.-]+(?:[ ][A-Z][A-Z’'.-]+){0,3})(?:,[ ](?P<role>[A-Z][A-Z ,/]*))?:[ ]",
    re.MULTILINE,
)
_CREDIT_ROLES = re.compile(r"\b(?:BYLINE|HOST|ANCHOR|CORRESPONDENT|REPORTER|NARRATOR)\b")
_NOT_SPEAKERS = frozenset(("UNIDENTIFIED", "SOUNDBITE", "ARCHIVED", "CROSSTALK", "MUSIC"))


def _transcript_speakers(text: str, taken: _Taken) -> None:
    """Speaker labels of a transcript are actors (and their names in the text, in title case,
    are remembered); the host's and reporter's are credits, and so are their names."""
    labels = []
    for match in _SPEAKER_LABEL.finditer(text):
        words = match.group("name").split()
        if not _NOT_SPEAKERS.isdisjoint(words) or any(len(w) < 2 for w in words):
            continue
        role = match.group("role")
        if role is not None and _CREDIT_ROLES.search(role):
            taken.credited.update(_fold(word) for word in words)
            continue
        labels.append((match.start("name"), match.end("name"), words))
    for start, end, words in labels:
        if len(words) == 1 and _fold(words[0]) in taken.credited:
            continue  # "MARTINEZ-BELTRAN:" after "SERGIO MARTINEZ-BELTRAN, BYLINE:"
        if taken.add(start, end, "speaker"):
            title_case = ["-".join(part.capitalize() for part in w.split("-")) for w in words]
            _remember(taken, title_case, "speaker")


def _fold(word: str) -> str:
    """A word without accents, case or possessive, to compare a label with the text's name."""
    word = _strip_possessive(word.rstrip(".,;:"))
    if word.isascii():
        return word.lower()
    bare = unicodedata.normalize("NFKD", word)
    return "".join(c for c in bare if not unicodedata.combining(c)).lower()


# Credits written before a name: "written by Jill Barshay and produced by The Hechinger Report",
# "Contact staff writer Jill Barshay at …".
_CREDIT_BEFORE = re.compile(
    r"(?:\b(?:[Ww]ritten|[Pp]roduced|[Ee]dited|[Cc]ompiled|[Pp]hotographed|[Ii]llustrated"
    r"|[Tt]ranslated|[Rr]eporting|[Ee]diting)\s+(?:by\s+)?|\b[Cc]ontact(?:\s+(?:staff\s+)?"
    r"(?:writer|reporter|editor|correspondent))?\s+|\bI[’']m\s+)(?:[Tt]he\s+)?\Z"
)


def _credited_before(text: str, start: int) -> bool:
    window = text[max(0, start - 40) : start]
    if "by" not in window and "ontact" not in window and "m " not in window:
        return False  # none of the credit words: no need to try the regex at every position
    return _CREDIT_BEFORE.search(window) is not None


class _Taken:
    """The suggestions so far, kept apart: a later rule never overlaps an earlier one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[Suggestion] = []
        self._ranges: list[tuple[int, int]] = []
        self.acting: dict[str, str] = {}  # name text -> rule that found it acting
        # folded words of a transcript's host and reporter
        self.credited: set[str] = set()
        # word -> whether the text writes it in lowercase
        self.lowercase: dict[str, bool] = {}

    def add(self, start: int, end: int, rule: str) -> bool:
        text = self.text
        while end > start and text[end - 1] in ".,;:’'\" ":
            end -= 1
        while start < end and text[start] in " \"“‘'#":
            start += 1
        if end <= start:
            return False
        if self.credited and not self.credited.isdisjoint(
            _strip_possessive(word.rstrip(".,;:")) for word in _fold(text[start:end]).split()
        ):
            return False
        index = bisect.bisect_left(self._ranges, (start, start))
        for neighbour in self._ranges[max(0, index - 1) : index + 1]:
            if neighbour[0] < end and start < neighbour[1]:
                return False
        self._ranges.insert(index, (start, end))
        self.found.append(Suggestion(start, end, "actor", text[start:end], rule))
        return True


def _names(text: str) -> Iterator[_Name]:
    """Capitalised name sequences, without sentence words ("The", "According") at the start and
    without a trailing particle."""
    for match in _NAMED.finditer(text):
        start, end = match.span()
        if start and (text[start - 1].isalnum() or text[start - 1] in _NOT_BEFORE_NAME):
            continue
        words = text[start:end].split()
        while words and (words[0] in _NOT_NAME_WORDS or words[0].lower() in _PARTICLE_WORDS):
            start = text.index(words[0], start) + len(words[0])
            while start < end and text[start].isspace():
                start += 1
            words = words[1:]
        while words and words[-1].lower() in _PARTICLE_WORDS:
            end = text.rindex(words[-1], start, end)
            while end > start and text[end - 1].isspace():
                end -= 1
            words = words[:-1]
        if not words:
            continue
        cut = _place_after_of(words)
        if cut:
            # "Piarul Islam of Phulbari": a person and a place, not one name ("Ministry of
            # Health" keeps its "of": an organisation head comes before it).
            offsets = _word_offsets(text, _Name(start, end, tuple(words)))
            yield _Name(start, offsets[cut - 1] + len(words[cut - 1]), tuple(words[:cut]))
            rest = [
                i for i in range(cut + 1, len(words)) if words[i].lower() not in _PARTICLE_WORDS
            ]
            if rest:
                yield _Name(offsets[rest[0]], end, tuple(words[rest[0] :]))
            continue
        yield _Name(start, end, tuple(words))


def _place_after_of(words: Sequence[str]) -> int:
    """The index of an "of" that joins a person to a place (0: none)."""
    for index, word in enumerate(words):
        if word in ("of", "for") and index > 0:
            head = words[:index]
            if _ORG_HEADS.intersection(head) or any(w.lower() in _TITLE_WORDS for w in head):
                return 0
            return index
    return 0


def _entity_matches(
    text: str, names: Sequence[_Name], entities: Sequence[KnownEntity]
) -> list[tuple[int, int]]:
    """Where the known entities' aliases occur: capitalised aliases among the name sequences (a
    set look-up per sub-sequence), others by one cached regex."""
    if not entities:
        return []
    capitalised, other = _alias_index(tuple(a for e in entities for a in e.names))
    found: list[tuple[int, int]] = []
    for name in names:
        found.extend(_subsequences_in(text, name, capitalised))
    if other is not None:
        found.extend(match.span() for match in other.finditer(text))
    return sorted(found)


_ALIAS_CACHE: dict[tuple[str, ...], tuple[frozenset[str], re.Pattern[str] | None]] = {}


def _alias_index(aliases: tuple[str, ...]) -> tuple[frozenset[str], re.Pattern[str] | None]:
    cached = _ALIAS_CACHE.get(aliases)
    if cached is not None:
        return cached
    capitalised = frozenset(" ".join(alias.split()) for alias in aliases if _all_capitalised(alias))
    rest = sorted(
        {a.strip() for a in aliases if a.strip() and not _all_capitalised(a)},
        key=lambda a: (-len(a), a),
    )
    pattern = (
        re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in rest) + r")(?![\w-])")
        if rest
        else None
    )
    if len(_ALIAS_CACHE) > 16:
        _ALIAS_CACHE.clear()
    _ALIAS_CACHE[aliases] = (capitalised, pattern)
    return capitalised, pattern


def _all_capitalised(alias: str) -> bool:
    """Whether an alias can only occur as a whole name sequence ("Ismail Haniyeh"), not with
    lowercase words ("Hamas chief")."""
    words = alias.split()
    return bool(words) and all(w[:1].isupper() or w.lower() in _PARTICLE_WORDS for w in words)


def _subsequences_in(text: str, name: _Name, wanted: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of the longest runs of `name`'s words that are in `wanted`, left to right
    (a possessive or trailing punctuation on the last word left out)."""
    words = name.words
    found: list[tuple[int, int]] = []
    offsets = _word_offsets(text, name)
    index = 0
    while index < len(words):
        for stop in range(len(words), index, -1):
            last = _strip_possessive(words[stop - 1].rstrip(".,;:"))
            candidate = " ".join((*words[index : stop - 1], last))
            if candidate in wanted:
                found.append((offsets[index], offsets[stop - 1] + len(last)))
                index = stop
                break
        else:
            index += 1
    return found


def _strip_possessive(word: str) -> str:
    if not word or word[-1] not in "s’'":
        return word
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _word_offsets(text: str, name: _Name) -> list[int]:
    offsets = []
    position = name.start
    for word in name.words:
        position = text.index(word, position)
        offsets.append(position)
        position += len(word)
    return offsets


def _classify(text: str, names: Sequence[_Name], index: int, name: _Name, taken: _Taken) -> None:
    """Propose `name` under the first rule that says it acts (cheap tests first: most names
    of an article are not proposed)."""
    start, end = name.start, name.end
    words = name.words
    last = words[-1]
    bare_end = end - (len(last) - len(_strip_possessive(last)))
    possessive = bare_end != end or _POSSESSIVE_AFTER.match(text, end) is not None
    demonym = len(words) == 1 and (words[0] in _NOT_NAME_WORDS or _DEMONYM.fullmatch(words[0]))
    raw = text[max(0, start - 40) : start].split()[-3:]
    before = [w.lower().strip('“"(,') for w in raw]
    group = _GROUP_AFTER.match(text, end)
    if (
        group is not None
        and not _preposition_in(raw)
        and (_acts_or_cued(text, start, group.end()) or _coordinated_subject(text, names, index))
    ):
        if _proposable(text, start, end):
            taken.add(_with_article(text, start), group.end(), "subject")
            if not demonym:
                _remember(taken, words, "subject")
        return
    if demonym or (len(words) == 1 and _common_word(text, start, words[0], taken.lowercase)):
        return
    # A title: capitalised title words inside the sequence ("President Joe Biden") or
    # lowercase ones right before it ("spokesman Lin Jian").
    leading_titles = 0
    while leading_titles < len(words) - 1 and words[leading_titles].lower() in _TITLE_WORDS:
        leading_titles += 1
    titled = leading_titles > 0 or (before and before[-1] in _TITLE_WORDS and before[-1] != "head")
    if titled and not possessive and _looks_like_person(words[leading_titles:]):
        title_start = _title_start(text, names, index) if not leading_titles else start
        if _proposable(text, start, end) and taken.add(title_start, bare_end, "title"):
            _remember(taken, words[leading_titles:], "title")
        return
    org_end = bare_end
    is_org = not _ORG_HEADS.isdisjoint(words) or " ".join(words) in _KNOWN_ORGS
    if not possessive:
        of_part = _OF_NAME.match(text, bare_end)
        if (
            of_part is not None
            and (is_org or last in _ORG_HEADS)
            and _NOT_NAME_WORDS.isdisjoint(of_part.group().split()[1:])
        ):
            org_end = of_part.end()
            is_org = True
    rule = None
    cued_before = _cued_before(before)
    if cued_before or _CUE_AFTER.match(text, org_end):
        if cued_before or not _preposition_in(raw):
            rule = "org" if is_org else "speaker"
    elif before[-1:] == ["by"] or before[-2:] == ["by", "the"]:
        if not possessive and not _locating(before[-2:]):
            rule = "agent"
    elif (
        (_acts_or_cued(text, start, org_end) or _coordinated_subject(text, names, index))
        and not _preposition_in(raw)
        and not _locating(before[-2:])
    ):
        rule = "org" if is_org else "subject"
    if rule is not None and _proposable(text, start, end) and taken.add(start, org_end, rule):
        _remember(taken, words, rule)


_TITLE_GAP = re.compile(r"(?:[^\S\n]+[a-z][a-z-]*)+[^\S\n]+$")


def _title_start(text: str, names: Sequence[_Name], index: int) -> int:
    """Where a name with a lowercase title starts: the organisation before the title when there
    is one ("China's Foreign Ministry spokesperson Lin Jian"), else the title itself."""
    name = names[index]
    title = _TITLE_GAP.search(text, max(0, name.start - 40), name.start)
    if title is None:
        return name.start
    if not all(word in _TITLE_WORDS for word in text[title.start() : name.start].split()):
        title_words = text[title.start() : name.start].split()
        keep = len(title_words)
        while keep and title_words[keep - 1] in _TITLE_WORDS:
            keep -= 1
        return name.start - len(" ".join(title_words[keep:])) - 1
    if index and names[index - 1].end == title.start():
        return names[index - 1].start
    return title.start() + len(text[title.start() :]) - len(text[title.start() :].lstrip())


def _proposable(text: str, start: int, end: int) -> bool:
    """Not a credit ("Reuters contributed to this report"), dateline, heading or caption."""
    return not (
        _CREDIT_AFTER.match(text, end)
        or _is_dateline(text, start, end)
        or _in_caption(text, start)
        or _credited_before(text, start)
    )


def _remember(taken: _Taken, words: Sequence[str], rule: str) -> None:
    """Note a name that acts, for its later mentions (and a person's surname alone)."""
    cleaned = [w.rstrip(".,;:") for w in words if w.lower() not in _TITLE_WORDS]
    if not cleaned:
        return
    full = _strip_possessive(" ".join(cleaned))
    taken.acting.setdefault(full, rule)
    if rule in ("title", "speaker", "agent") and 2 <= len(cleaned) <= 3:
        surname = _strip_possessive(cleaned[-1])
        if len(surname) > 2 and not _ORG_HEADS.intersection(cleaned):
            taken.acting.setdefault(surname, "mention")


def _looks_like_person(words: Sequence[str]) -> bool:
    return (
        0 < len(words) <= 4
        and _ORG_HEADS.isdisjoint(words)
        and any(word.lower() not in _TITLE_WORDS for word in words)
    )


def _acts_or_cued(text: str, start: int, end: int) -> bool:
    if _ACTS_AFTER.match(text, end) or _CUE_AFTER.match(text, end):
        return True
    appositive = _APPOSITIVE.match(text, end)
    return appositive is not None and (
        _ACTS_AFTER.match(text, appositive.end()) is not None
        or _CUE_AFTER.match(text, appositive.end()) is not None
    )


def _coordinated_subject(text: str, names: Sequence[_Name], index: int) -> bool:
    """ "Hamas and Fatah held": a name joined by "and" to a following name that acts."""
    name = names[index]
    position = name.end
    for following in names[index + 1 : index + 3]:
        joint = _AND_NEXT.match(text, position)
        if joint is None or joint.end() != following.start:
            return False
        if _acts_or_cued(text, following.start, following.end):
            return True
        group = _GROUP_AFTER.match(text, following.end)
        if group is not None and _acts_or_cued(text, following.start, group.end()):
            return True
        position = following.end
    return False


def _coordinated(text: str, names: Sequence[_Name], taken: _Taken) -> None:
    """Names listed with an agent or speaker share its role ("efforts by Egypt, Qatar, and
    Turkey")."""
    for index in range(len(names) - 1):
        first, second = names[index], names[index + 1]
        joint = _LIST_NEXT.match(text, first.end)
        if joint is None or joint.end() != second.start:
            continue
        rule = taken.acting.get(" ".join(first.words))
        if rule in ("agent", "speaker") and not _ends_in_and(text, names, index):
            continue  # "Tilbrook, CPO, EncompaaS": a title after a name, not a list
        if (
            rule in ("agent", "speaker")
            and not _in_caption(text, second.start)
            and taken.add(second.start, second.end, rule)
        ):
            _remember(taken, second.words, rule)


def _common_word(text: str, start: int, word: str, seen: dict[str, bool]) -> bool:
    """A capitalised word only because it starts a sentence ("Farmers are now achieving"): the
    text writes it in lowercase elsewhere."""
    lead = text[max(0, start - 3) : start].rstrip(" “\"‘'")
    if lead and lead[-1] not in ".!?:\n":
        return False
    lower = word.lower()
    if lower == word or not lower.isalpha() or not lower.endswith("s"):
        return False  # a plural: a group as a whole ("Farmers", "Companies")
    known = seen.get(lower)
    if known is None:
        known = seen[lower] = _has_word(text, lower)
    return known


def _has_word(text: str, word: str) -> bool:
    """Whether `word` occurs in `text` as a whole word (str.find: no regex scan per word)."""
    index = text.find(word)
    while index != -1:
        after = index + len(word)
        if (index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "-")) and not (
            after < len(text) and (text[after].isalnum() or text[after] == "-")
        ):
            return True
        index = text.find(word, after)
    return False


def _ends_in_and(text: str, names: Sequence[_Name], index: int) -> bool:
    """Whether the names joined from `names[index]` on reach an "and"/"or" (a list), rather than
    only commas (an appositive)."""
    for position in range(index, min(len(names) - 1, index + 8)):
        joint = _LIST_NEXT.match(text, names[position].end)
        if joint is None or joint.end() != names[position + 1].start:
            return False
        if "and" in joint.group() or "or" in joint.group().split():
            return True
    return False


def _words_before(text: str, start: int, count: int) -> list[str]:
    words = text[max(0, start - 12 * count) : start].lower().split()[-count:]
    return [w.strip('“"(,') for w in words]


def _after_preposition(text: str, start: int) -> bool:
    """Whether the words before a name make it a preposition's object ("talks with the rival
    Palestinian groups"): a preposition within the last three words, with only lowercase
    determiners or adjectives after it."""
    return _preposition_in(text[max(0, start - 40) : start].split()[-3:])


def _preposition_in(raw: Sequence[str]) -> bool:
    """`_after_preposition` on the (up to three) words before a name, as written."""
    for back, word in enumerate(reversed(raw)):
        if word in _PREPOSITIONS:
            return True
        if word[:1].isupper() and word.endswith(("'s", "’s", "'", "’")):
            continue  # "the head of Hamas' Political Bureau": a possessive inside the phrase
        if back >= 2 or not word.isalpha() or not word.islower() or word in _NP_STOP_NOT_THE:
            return False
    return False


def _cued_before(before: Sequence[str]) -> bool:
    if not before:
        return False
    if before[-1] in _CUE_WORDS_BEFORE:
        return True
    if len(before) >= 2 and (before[-2], before[-1]) in _CUE_PHRASES_BEFORE:
        return True
    return (
        len(before) >= 3
        and before[-1] == "the"
        and ((before[-3], before[-2]) in _CUE_PHRASES_BEFORE or before[-2] in _CUE_WORDS_BEFORE)
    )


def _locates(text: str, start: int) -> bool:
    """Whether the span only places the story: right after "in", "at", "near"…"""
    return _locating(_words_before(text, start, 2))


def _locating(before: Sequence[str]) -> bool:
    """`_locates` on the (up to two) lowercase words before a span."""
    if not before:
        return False
    if before[-1] == "the" and len(before) == 2:
        return before[0] in _LOCATING
    return before[-1] in _LOCATING


def _in_caption(text: str, start: int) -> bool:
    """Whether `start` is in a short line without a full stop: a heading, caption or credit."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    if line_end - line_start > 120:
        return False  # a paragraph (canonical text has no runs of trailing spaces)
    line = text[line_start:line_end].rstrip()
    return len(line) < 80 and not line.endswith((".", "”", '"', "?", "!", ":", "’"))


def _is_dateline(text: str, start: int, end: int) -> bool:
    """A name alone on its line, or in parentheses after a date ("Dec 20, 2025 (BSS)")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if (
        start - line_start < 8
        and line_end - end < 8
        and not text[line_start:start].strip()
        and not text[end:line_end].strip(" .:")
    ):
        return True
    if start > 0 and text[start - 1] == "(":
        return text[max(0, start - 8) : start - 1].rstrip()[-1:].isdigit()
    return text[max(0, start - 4) : start].strip().endswith(("By", "by")) and (
        start == line_start + 3
    )


def _with_article(text: str, start: int) -> int:
    """`start` moved back over an article right before it ("a Palestinian source")."""
    for article in ("the ", "an ", "a "):
        begin = start - len(article)
        if (
            begin >= 0
            and text[begin:start].lower() == article
            and (begin == 0 or not text[begin - 1].isalnum())
        ):
            return begin
    return start


def _speaker_phrases(text: str, taken: _Taken) -> None:
    """Unnamed speakers: "a Palestinian source told", "said the Chinese spokesman",
    "according to concerned sources"."""
    for start, end, word in find_watched(text, _SPEAKER_KIND):
        kind = _SPEAKER_KIND[word]
        # Cheap necessary conditions first: a cue word near before, or a verb after.
        if kind == "group":
            if (
                text[end : end + 1] == "," or not _acts_or_cued(text, start, end)
            ) and _AND_GROUP.match(text, end) is None:
                continue
        elif not _CUE_NEAR.search(text, max(0, start - 60), start) and (
            kind == "document" or _CUE_AFTER.match(text, end) is None
        ):
            continue
        taken_words: list[str] = []
        for word_match in reversed(list(_WORD_SPAN.finditer(text, max(0, start - 40), start))):
            if text[word_match.end() : start].strip():
                break  # punctuation between: the phrase ends there
            clean = word_match.group()
            if not _NP_WORD.match(clean) or clean.lower() in _NP_STOP:
                if clean.lower() in ("a", "an", "the", "one", "two", "several", "some"):
                    taken_words.insert(0, clean)
                    start = word_match.start()
                break
            taken_words.insert(0, clean)
            start = word_match.start()
            if len(taken_words) >= 3:
                break
        modifiers = [w for w in taken_words if w.lower() not in ("a", "an", "the", "one")]
        before = _words_before(text, start, 3)
        if kind == "document":
            if _cued_before(before) and taken_words and taken_words[0].lower() != "the":
                taken.add(start, end, "speaker")
            continue
        if kind == "group":
            joined = _AND_GROUP.match(text, end)  # "Risk committees and regulators"
            if joined is not None and joined.group().split()[-1] in _SPEAKER_KIND:
                end = joined.end()
            if (
                text[end : end + 1] != ","  # "…service providers, announced": an appositive
                and _acts_or_cued(text, start, end)
                and before[-1:] not in (["said"], ["says"], ["that"])  # inside reported speech
                and not _after_preposition(text, start)
                and not _inside_quote(text, start)
                and not (taken_words and taken_words[0].lower() == "the")
            ):
                taken.add(start, end, "speaker")
            continue
        cued = _cued_before(before) or _CUE_AFTER.match(text, end) is not None
        if not cued:
            continue
        if not modifiers and taken_words and taken_words[0].lower() == "the":
            continue  # "the source": a mention of a speaker already named
        taken.add(start, end, "speaker")


_NEXT_WORD = re.compile(r"[^\S\n]+([a-z][a-z-]*)\b")


def _attributive(text: str, end: int) -> bool:
    """Whether a lone name modifies the noun after it ("Texas plumbers") rather than acting."""
    following = _NEXT_WORD.match(text, end)
    return (
        following is not None
        and following.group(1) not in _PREPOSITIONS
        and following.group(1) not in _NP_STOP
        and _ACTS_AFTER.match(text, end) is None
    )


_CUE_NEAR = re.compile(r"said|says|told|tells|added|quot|ccording|cited|reported")


def _inside_quote(text: str, start: int) -> bool:
    """Whether `start` is inside quotation marks opened in its paragraph."""
    paragraph = text[text.rfind("\n", 0, start) + 1 : start]
    return paragraph.count("“") > paragraph.count("”") or paragraph.count('"') % 2 == 1


def _mentions(text: str, names: Sequence[_Name], taken: _Taken) -> None:
    """Every other mention of a name that acts, except where it only locates or is a credit."""
    for name in names:
        acronym = _PAREN_ACRONYM.match(text, name.end)
        if acronym is not None and " ".join(name.words) in taken.acting:
            taken.acting.setdefault(acronym.group(1), "mention")
    acting = frozenset(taken.acting)
    if not acting:
        return
    # An organisation's short name: the first word of a two- or three-word name that acts
    # ("Veeam Software" … "Veeam", "Searchlight Cyber" … "Searchlight"), matched only where it
    # stands alone (never inside another name: "Texas Legislature" gives no "Texas Capitol").
    short = frozenset(
        words[0]
        for words in (
            name.split() for name, rule in taken.acting.items() if rule not in ("mention", "title")
        )
        if 2 <= len(words) <= 3
        and words[0] not in _NOT_NAME_WORDS
        and words[0].lower() not in _TITLE_WORDS
        and not _DEMONYM.fullmatch(words[0])
        and words[1][:1].isupper()
    )
    first_words = frozenset(name.split()[0] for name in acting)
    # The first words as they may be written in a name sequence (a possessive or a comma on
    # them): set look-ups, no string work per word.
    written = frozenset(
        word + tail for word in first_words | short for tail in ("", "’s", "'s", "’", "'", ",", ".")
    )
    for name in names:
        if written.isdisjoint(name.words):
            continue
        if len(name.words) == 1:
            word = _strip_possessive(name.words[0].rstrip(".,;:"))
            start, end = name.start, name.start + len(word)
            if word in short:
                if not (
                    _locates(text, start)
                    or _in_caption(text, start)
                    or _is_dateline(text, start, end)
                    or _attributive(text, end)
                ):
                    taken.add(start, end, "mention")
                continue
            # One word ("Hamas", "Lin"): the whole name or nothing, no sub-sequences to try.
            found = [(start, end)] if word in acting else []
        elif not any(_strip_possessive(w.rstrip(".,;:")) in first_words for w in name.words):
            continue
        else:
            found = _subsequences_in(text, name, acting)
        for start, end in found:
            if _locates(text, start) or _CREDIT_AFTER.match(text, end) or _in_caption(text, start):
                continue
            if _is_dateline(text, start, end):
                continue
            taken.add(start, end, "mention")

"""An iCalendar (RFC 5545) file for one check-in: an all-day event on its date.

Only the kind of conversation and the other person's name go in; never notes or actions,
since calendar files travel to other systems.
"""

from datetime import date, datetime

from learnpath.timeutil import utcnow


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 section 3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def check_in_ics(uid: str, on: date, summary: str, url: str,
                 stamp: datetime | None = None) -> str:
    stamp = (stamp or utcnow()).strftime("%Y%m%dT%H%M%SZ")
    day = on.strftime("%Y%m%d")
    following = date.fromordinal(on.toordinal() + 1).strftime("%Y%m%d")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//learnpath//check-ins//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "BEGIN:VEVENT", f"UID:{uid}",
             f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{day}", f"DTEND;VALUE=DATE:{following}",
             f"SUMMARY:{_escape(summary)}", f"URL:{url}", "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"

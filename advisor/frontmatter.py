"""Front matter of an official document: title, issuer, document number (文号) and date, read from its own first
and last pages the way GB/T 9704 lays them out — issuer header (``××省生态环境厅文件``), 文号, title (``关于…的通知``),
and at the end the issuing bodies above the date (``2021年10月17日``). File metadata is only a fallback, and only
when it looks like a title (``Microsoft Word - 272.doc`` does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
DOC_TYPES = "通知|意见|方案|办法|规划|指南|公告|决定|细则|规定|纲要|计划|导则|目录|准则|批复|函|报告|条例|标准"
_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,14}\s*[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*\d{1,4}\s*号)")
_ORDER = re.compile(r"([\u4e00-\u9fff]{2,14}令\s*(?:（\s*)?第\s*\d{1,4}\s*号(?:\s*）)?)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_CN = re.compile(r"([二〇○一二三四五六七八九零]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?")
_MONTH = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月")
_DATE_ISO = re.compile(r"(?:印发|发布|成文)(?:时间|日期)\s*[:：]\s*((?:19|20)\d{2})[-./年](\d{1,2})[-./月](\d{1,2})")
_ORG = re.compile(r"(人民政府|委员会|办公厅|办公室|厅|局|部|委|院|署|中心|会|银行|分行|政府|领导小组|管委会|中共[\u4e00-\u9fff]{1,8}委)$")
_PRINTED = re.compile(r"(.{0,30}?)((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日(?:印发|电|发布)")  # 版记 / 新华社…电
_ADOPTED = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[^）)]{0,60}(通过|发布|印发)")
_HEADER = re.compile(r"^(.{2,40}?)\s*文\s*件$")
_JUNK_TITLE = re.compile(r"microsoft|word\s*-|\.docx?\b|\.pdf\b|\.wps\b|^附件\s*\d*$|^正文|^标题$|^untitled|^no[:：]|^<[0-9a-f]+|"
                         r"^\d+$|^document\d*$|^文档\d*$|^新建", re.I)


@dataclass(frozen=True)
class FrontMatter:
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None


def sane_title(text: str | None) -> bool:
    """A metadata title that reads like a title (not a file name or a template default)."""
    return text is not None and len(text.strip()) >= 4 and not _JUNK_TITLE.search(text.strip())


def _lines(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", ln).strip() for ln in page.split("\n") if ln.strip()]


_FULLWIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


def _compact(s: str) -> str:
    """Spaces removed, full-width digits and letters made plain (``２０２１`` → ``2021``)."""
    return re.sub(r"\s+", "", s.translate(_FULLWIDTH))


def _cn_number(s: str) -> int:
    if all(ch in _CN_DIGITS for ch in s):
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = 0
    if "十" in s:
        tens, _, ones = s.partition("十")
        total = (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    else:
        total = _CN_DIGITS.get(s, 0)
    return total


def standalone_date(line: str) -> str | None:
    """A line that is only a date (a signature date or a cover date): ISO yyyy-mm-dd, or yyyy-mm for a month."""
    c = _compact(line).strip("（）()")
    if len(c) > 16:
        return None
    m = _DATE.fullmatch(c)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = _DATE_CN.fullmatch(c)
    if m:
        day = f"-{_cn_number(m.group(3)):02d}" if m.group(3) else ""
        return f"{_cn_number(m.group(1))}-{_cn_number(m.group(2)):02d}{day}"
    m = _MONTH.fullmatch(c)
    return f"{m.group(1)}-{int(m.group(2)):02d}" if m else None


def find_date(lines: list[str]) -> str | None:
    """The first ``印发时间：…`` stamp or standalone date among the lines."""
    for ln in lines:
        m = _DATE_ISO.search(_compact(ln))
        if m:
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        date = standalone_date(ln)
        if date:
            return date
    return None


def find_title(lines: list[str]) -> str | None:
    """The title near the top: the lines from the first one that opens a title (``关于``, or the issuer's name
    followed by 关于) to the one that ends with a document type; wrapped lines are joined."""
    head = lines[:25]
    for i, ln in enumerate(head):
        c = _compact(ln)
        if _NUMBER.fullmatch(c) or _HEADER.match(c) or len(c) > 60:
            continue
        if "关于" in c or re.search(rf"({DOC_TYPES})$", c):
            parts = [c]
            k = i
            while k > 0 and len(parts) < 3:  # the title may start a line or two higher
                prev = _compact(head[k - 1])
                if (len(prev) > 30 or re.search(r"[，。；：:]", prev) or _HEADER.match(prev) or _NUMBER.search(prev)
                        or standalone_date(prev) or re.fullmatch(r"[—\-\d\s]+", prev) or prev in parts
                        or re.search(rf"({DOC_TYPES})$", prev)):
                    break
                parts.insert(0, prev)
                k -= 1
            j = i
            while not re.search(rf"({DOC_TYPES})[》”]?$", parts[-1]) and j + 1 < len(head) and len("".join(parts)) < 70:
                j += 1
                nxt = _compact(head[j])
                if nxt.endswith(("：", ":")) or _DATE.search(nxt) or _NUMBER.search(nxt):
                    break
                parts.append(nxt)
            title = _NUMBER.sub("", "".join(parts), count=1) if _NUMBER.match("".join(parts)) else "".join(parts)
            if re.search(rf"({DOC_TYPES})[》”）)]?$", title) and 6 <= len(title) <= 80:
                return title.strip("《》")
    return None


def find_issuer(first: list[str], last: list[str], title: str | None) -> str | None:
    for ln in first[:6]:
        m = _HEADER.match(_compact(ln))
        if m and _ORG.search(m.group(1)):
            return m.group(1)
    if title:  # "××厅关于……", "××办公厅、××办公厅印发《……》", "××厅2021年度……计划"
        m = re.match(r"^(.{2,40}?)(?:关于|印发|(?:19|20)\d{2}年)", title)
        if m and all(_ORG.search(part) for part in re.split(r"[、，]", m.group(1)) if part):
            return m.group(1)
    # The issuing bodies stand just above the signature date.
    for k, ln in enumerate(last):
        if standalone_date(ln):
            names: list[str] = []
            for prev in reversed(last[max(0, k - 4):k]):
                c = _compact(prev)
                if len(c) <= 40 and _ORG.search(c) and not re.search(r"[，。；：]", c):
                    names.insert(0, c)
                else:
                    break
            if names:
                return "、".join(names)
    return None


def _signature(lines: list[str]) -> int | None:
    """Index of the signature date: the first standalone date with an issuing body just above it, else the first
    standalone date in the opening pages."""
    for k, ln in enumerate(lines):
        if standalone_date(ln) and any(_ORG.search(_compact(p)) and len(_compact(p)) <= 40
                                       for p in lines[max(0, k - 3):k]):
            return k
    return None


def read_front_matter(pages: list[str]) -> FrontMatter:
    """Title, issuer, 文号 and date from the opening pages and the signature block."""
    if not pages:
        return FrontMatter()
    first = _lines("\n".join(pages[:2]))
    everything = _lines("\n".join(pages))
    title = find_title(first)
    number = next((m.group(1) for ln in first[:30] for m in [_NUMBER.search(_compact(ln)) or _ORDER.search(_compact(ln))]
                   if m), None)
    stamp = next((d for ln in first[:12] if _DATE_ISO.search(_compact(ln)) for d in [find_date([ln])] if d), None)
    adopted = _ADOPTED.search(_compact("".join(first[:8])))
    if adopted and not stamp:  # "（2021年12月28日……全体会议通过）" under the title
        stamp = f"{adopted.group(1)}-{int(adopted.group(2)):02d}-{int(adopted.group(3)):02d}"
    at = _signature(everything)
    signature = everything[max(0, at - 5):at + 1] if at is not None else []
    printed = next((m for ln in reversed(everything[-15:]) for m in [_PRINTED.search(_compact(ln))] if m), None)
    date = stamp or (standalone_date(everything[at]) if at is not None else None)
    if not date and printed:
        date = f"{printed.group(2)}-{int(printed.group(3)):02d}-{int(printed.group(4)):02d}"
    date = date or find_date(first[:30]) or find_date(everything)
    issuer = find_issuer(first, signature, title)
    if not issuer and printed and _ORG.search(printed.group(1).strip("（(")):
        issuer = printed.group(1).strip("（(")
    return FrontMatter(title, issuer, number, date)

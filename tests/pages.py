"""Pages as a user reads them: parsed HTML and its visible text, never regexes over markup."""

from bs4 import BeautifulSoup


def parsed(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    """An element's visible text with whitespace collapsed, as a reader sees it."""
    return " ".join(element.get_text(" ").split())


def opened(client, url: str, **query) -> BeautifulSoup:
    """The page at `url` (with `query` as its query string) as the user sees it; it loads."""
    response = client.get(url, query)
    assert response.status_code == 200
    return parsed(response)


def queries_of(client, url: str, **query) -> int:
    """How many database queries the page at `url` costs; it loads."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


def row_cells(soup, code: str) -> list[str]:
    """The cells of a jurisdiction's table row (`data-code`), as shown."""
    return [text(cell) for cell in soup.select(f'tr[data-code="{code}"] td')]


def messages(response) -> list[str]:
    """The messages shown at the top of the page (success, warning, error)."""
    return [text(alert) for alert in parsed(response).select("[role=alert].alert-dismissible")]


def form_data(form) -> dict[str, str]:
    """What the browser sends for `form` as the page filled it: every named field's value,
    checked boxes and radios only. Rows kept in a <template> for scripts to copy are not
    part of the form."""
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        value = _value(field)
        if value is not None and not field.find_parent("template"):
            data[field["name"]] = value
    return data


def _value(field) -> str | None:
    if field.name == "textarea":
        return field.get_text().removeprefix("\n")  # a browser drops the first newline
    if field.name == "select":
        chosen = field.select_one("option[selected]") or field.select_one("option")
        return chosen.get("value", "") if chosen else ""
    if field.get("type") in ("checkbox", "radio"):
        return field.get("value", "on") if field.has_attr("checked") else None
    return field.get("value", "")


def send(client, url: str, selector: str, **changes):
    """What a user does with a form: open the page at `url`, type `changes` into the form
    `selector` and send it where the form says; the page they end up on."""
    form = parsed(client.get(url)).select_one(selector)
    return client.post(form.get("action") or url, {**form_data(form), **changes}, follow=True)

"""The attached list of a batch letter: a grid sized to its content, its header on every page."""

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from layan.letters.pdf.typography import BOLD, FAMILY, INK, clean, wrap_words

TABLE_SIZE = 10
HEADER_FILL = colors.HexColor("#E6E6E6")


def _column_widths(natural: list[float], width: float) -> list[float]:
    """Each column as wide as its longest cell; the widest ones give way (and wrap) when the
    page is too narrow, and spare room is shared out when it is wide."""
    total = sum(natural)
    if total <= width:
        return [value * width / total for value in natural]
    widths = list(natural)
    fixed = 0.0
    flexible = list(range(len(natural)))
    # Columns narrower than a fair share keep their width; the rest split what is left.
    while flexible:
        share = (width - fixed) / len(flexible)
        narrow = [index for index in flexible if natural[index] <= share]
        if not narrow:
            break
        for index in narrow:
            fixed += natural[index]
            flexible.remove(index)
    if flexible:
        wide_total = sum(natural[index] for index in flexible)
        for index in flexible:
            widths[index] = (width - fixed) * natural[index] / wide_total
    return widths


CELL_PADDING = 4
CELL_TOP = 2
CELL_BOTTOM = 3
TABLE_LEADING = 12


def _cell_lines(text: str, font: str, room: float) -> list[str]:
    return [
        line
        for paragraph in text.split("\n")
        for line in wrap_words(paragraph, font, TABLE_SIZE, room)
    ]


def _row_height(cells: list[list[str]]) -> float:
    return max(len(lines) for lines in cells) * TABLE_LEADING + CELL_TOP + CELL_BOTTOM


class ListTable(Flowable):
    """The attached list: a grid whose header row is repeated on every page it spans.

    Each page is one text object and one grid path, where reportlab's Table draws each of
    the hundreds of cells on its own (docs/design/letters.md).
    """

    def __init__(
        self, header: list[list[str]], rows: list[list[list[str]]], widths: list[float]
    ) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = widths
        self.header_height = _row_height(header)
        self.row_heights = [_row_height(row) for row in rows]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self.header_height + sum(self.row_heights)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room = available_height - self.header_height
        count = 0
        for height in self.row_heights:
            if height > room:
                break
            room -= height
            count += 1
        if count == 0 or count == len(self.rows):
            return []
        return [
            ListTable(self.header, self.rows[:count], self.widths),
            ListTable(self.header, self.rows[count:], self.widths),
        ]

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(HEADER_FILL)
        canvas.rect(0, self.height - self.header_height, self.width, self.header_height, 0, 1)
        self._draw_grid()
        text = canvas.beginText()
        text.setFillColor(INK)
        text.setFont(BOLD, TABLE_SIZE, TABLE_LEADING)
        self._add_row(text, self.header, self.height)
        text.setFont(FAMILY, TABLE_SIZE, TABLE_LEADING)
        top = self.height - self.header_height
        for row, height in zip(self.rows, self.row_heights, strict=True):
            self._add_row(text, row, top)
            top -= height
        canvas.drawText(text)

    def _add_row(self, text, cells: list[list[str]], top: float) -> None:
        x: float = CELL_PADDING
        for lines, width in zip(cells, self.widths, strict=True):
            baseline = top - CELL_TOP - TABLE_SIZE
            for line in lines:
                if line:
                    text.setTextOrigin(x, baseline)
                    text.textOut(line)
                baseline -= TABLE_LEADING
            x += width

    def _draw_grid(self) -> None:
        canvas = self.canv
        path = canvas.beginPath()
        y = self.height
        for height in [self.header_height, *self.row_heights, 0]:
            path.moveTo(0, y)
            path.lineTo(self.width, y)
            y -= height
        x = 0.0
        for width in [*self.widths, 0]:
            path.moveTo(x, 0)
            path.lineTo(x, self.height)
            x += width
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.5)
        canvas.drawPath(path, stroke=1, fill=0)


def table_check(headers: list[str], rows: list[list[str]]) -> None:
    """A list without headers, or a row with more cells than headers, would lose data."""
    if not headers:
        raise ValueError("the attached table needs column headers")
    for number, row in enumerate(rows, start=1):
        if len(row) > len(headers):
            raise ValueError(f"table row {number} has {len(row)} cells for {len(headers)} columns")


def batch_table(headers: list[str], rows: list[list[str]], width: float) -> ListTable:
    """The attached list with columns as wide as their content allows; long cells wrap."""
    cells = [[clean(cell) for cell in [*row, *[""] * (len(headers) - len(row))]] for row in rows]
    # Each text is measured once: it decides both the column widths and which cells wrap.
    measured = [[stringWidth(cell, FAMILY, TABLE_SIZE) for cell in row] for row in cells]
    natural = [stringWidth(clean(header), BOLD, TABLE_SIZE) for header in headers]
    for row in measured:
        natural = [max(pair) for pair in zip(natural, row, strict=True)]
    widths = _column_widths([value + 2 * CELL_PADDING for value in natural], width)
    room = [column - 2 * CELL_PADDING for column in widths]
    header = [_cell_lines(clean(text), BOLD, room[index]) for index, text in enumerate(headers)]
    lines = [
        [
            _cell_lines(cell, FAMILY, room[index]) if cell_width > room[index] else [cell]
            for index, (cell, cell_width) in enumerate(zip(row, row_widths, strict=True))
        ]
        for row, row_widths in zip(cells, measured, strict=True)
    ]
    return ListTable(header, lines, widths)

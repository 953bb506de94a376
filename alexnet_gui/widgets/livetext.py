"""Text that changes while training (status line, step read-outs): a repaint, never a re-layout.

``QLabel.setText`` calls ``updateGeometry()``, and Qt answers by re-activating every layout from the label up
to the main window, whose ``QMainWindowLayout`` re-places every dock and toolbar (one ``QPropertyAnimation``
each, created and deleted).  With a status line, the curves' step read-out and the kernel titles changing
while training, that was 5 re-layouts and ~40 animation objects a second, a fifth of the GUI thread's time
(benchmarks/README.md, viz_overhead).  ``LiveText`` has a size hint that does not depend
on its text (``lines`` of the font's height, ``chars`` average characters wide), so ``setText`` only
repaints it.  Plain text that does not fit ends its last line with "…", rich text is cut after its last
whole line; the tooltip then shows all of it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QLocale, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QStaticText, QTextDocumentFragment, QTextLayout, QTextOption
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget


#: locales whose text is drawn in a fallback font with taller lines than most Latin fonts (Noto Sans CJK)
CJK = (QLocale.Language.Chinese, QLocale.Language.Japanese, QLocale.Language.Korean)


class LiveText(QWidget):
    """A label for text that changes often; ``text()`` / ``setText()`` as in ``QLabel``.

    ``rich=True`` takes Qt's rich-text subset (``<b>``, ``<br>``, ``<span style="color:…">``); ``lines`` is
    the height it keeps (word-wrapped to its width when above 1); ``chars`` its preferred width.
    """

    def __init__(self, text: str = "", *, lines: int = 1, chars: int = 40, rich: bool = False,
                 alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._lines = max(1, lines)
        self._chars = max(1, chars)
        self._rich = rich
        self._align = alignment
        self._static: QStaticText | None = None
        self._colour: QColor | None = None
        self._spacing: tuple[str, int] | None = None  # (font key, line height) in a CJK locale
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setText(text)

    # ------------------------------------------------------------------ QLabel's API
    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        text = str(text)
        if text == self._text:
            return
        self._text = text
        self._static = None
        # screen readers read a QLabel's text; a LiveText says it through its accessible name
        self.setAccessibleName(QTextDocumentFragment.fromHtml(text).toPlainText() if self._rich else text)
        self.update()

    def clear(self) -> None:
        self.setText("")

    def setColour(self, colour: QColor | str | None) -> None:
        """The text's colour (``None``: the palette's)."""
        colour = QColor(colour) if colour is not None else None
        if colour != self._colour:
            self._colour = colour
            self.update()

    # ------------------------------------------------------------------ geometry (independent of the text)
    def line_spacing(self) -> int:
        """A line's height: the font's; in a Chinese, Japanese or Korean locale (the window's language) that of a
        line with a CJK character, drawn in a fallback font whose lines are taller (still not the text's own)."""
        fm = self.fontMetrics()
        if QLocale().language() not in CJK:
            return fm.lineSpacing()
        key = self.font().key()
        if self._spacing is None or self._spacing[0] != key:
            layout = QTextLayout("Ag中", self.font())
            layout.beginLayout()
            line = layout.createLine()
            line.setLineWidth(1e6)
            layout.endLayout()
            self._spacing = (key, max(fm.lineSpacing(), math.ceil(line.height())))
        return self._spacing[1]

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(self._chars * fm.averageCharWidth(), self._lines * self.line_spacing() + 2)

    def minimumSizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(min(self._chars, 6) * fm.averageCharWidth(), self._lines * self.line_spacing() + 2)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._static = None
            self.updateGeometry()  # the font's height changed: a real change of size
        super().changeEvent(event)

    def resizeEvent(self, event) -> None:
        self._static = None
        super().resizeEvent(event)

    # ------------------------------------------------------------------ drawing
    def _text_height(self) -> int:
        return self._lines * self.line_spacing()

    def _static_text(self) -> QStaticText:
        """Rich text, laid out once per text and width."""
        if self._static is None:
            st = QStaticText(self._text)
            st.setTextFormat(Qt.TextFormat.RichText)
            st.setTextWidth(max(1, self.contentsRect().width()))
            opt = QTextOption(self._align)
            opt.setWrapMode(QTextOption.WrapMode.WordWrap)
            st.setTextOption(opt)
            st.prepare(font=self.font())
            self._static = st
        return self._static

    def _plain_lines(self, width: int) -> tuple[list[tuple[int, int]], bool]:
        """Plain text word-wrapped to ``width``: the (start, length) of the lines shown, and whether more text
        follows (then the last shown line is drawn elided)."""
        layout = QTextLayout(self._text, self.font())
        opt = QTextOption(self._align)
        opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(opt)
        layout.beginLayout()
        lines, more = [], False
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            if len(lines) == self._lines:
                more = True
                break
            line.setLineWidth(width)
            lines.append((line.textStart(), line.textLength()))
        layout.endLayout()
        return lines, more

    def fits(self) -> bool:
        """Whether all of the text is on screen (otherwise the tooltip shows it)."""
        width = self.contentsRect().width()
        if self._rich:
            return self._static_text().size().height() <= self._text_height() + 0.5
        if self._lines == 1:
            return "\n" not in self._text and self.fontMetrics().horizontalAdvance(self._text) <= width
        return not self._plain_lines(width)[1]

    def paintEvent(self, event) -> None:
        if not self._text:
            return
        p = QPainter(self)
        p.setPen(self._colour if self._colour is not None else self.palette().color(self.foregroundRole()))
        r = self.contentsRect()
        fm = self.fontMetrics()
        spacing = self.line_spacing()
        top = r.top() + max(0, (r.height() - self._text_height()) // 2)
        if self._rich:
            p.setClipRect(QRect(r.left(), top, r.width(), self._text_height()))  # whole lines only
            p.drawStaticText(QPointF(r.left(), top), self._static_text())
        else:
            lines, more = self._plain_lines(r.width()) if self._lines > 1 else ([(0, len(self._text))], False)
            flags = int(self._align | Qt.AlignmentFlag.AlignTop)
            for i, (start, length) in enumerate(lines):
                last = i == len(lines) - 1
                text = self._text[start:] if last else self._text[start:start + length]
                text = text.replace("\n", " ").strip() if last and (more or self._lines == 1) else text.strip()
                if last:  # "…" when the rest does not fit
                    text = fm.elidedText(text, Qt.TextElideMode.ElideRight, r.width())
                p.drawText(QRect(r.left(), top + i * spacing, r.width(), spacing), flags, text)
        p.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and not self.toolTip():
            if self._text and not self.fits():
                QToolTip.showText(event.globalPos(), self._text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

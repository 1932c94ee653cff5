"""The Excel add-in ``afm_xl.xlam``: build it, install it into XLSTART, uninstall it.

The add-in is xlwings' own ``quickstart_addin_ribbon.xlam`` (from the installed,
exactly pinned xlwings) with only some of its zip parts rewritten. The VBA
project is copied byte for byte, because VBA cannot practically be edited
without Excel:

* ``customUI/customUI.xml``: a tab «ΑΦΜ» with one large button «Συμπλήρωση από
  ΑΦΜ» and its icon. The button calls ``RibbonMyAddin.RunMain``, the template's
  only ribbon callback, which runs ``import <file name>; <file name>.main()``.
  That is why the file must be called ``afm_xl.xlam``.
* the config sheet: the template's inactive ``_myaddin.conf`` becomes
  ``myaddin.conf`` (the VBA's ``PROJECT_NAME`` is ``myaddin``), with
  ``UDF Modules`` = ``afm_xl.udfs``, ``ADD_WORKBOOK_TO_PYTHONPATH`` = ``false``
  (a workbook's folder must not shadow the installed package) and, when
  given, the interpreter.

Excel opens every file in the user's XLSTART folder at start-up.
:func:`install_addin` builds the add-in there. On Windows it then tries to
import the worksheet functions (UDFs) into the add-in; this needs Excel and the
Trust Center option «Trust access to the VBA project object model». When it
cannot, the report lists the manual steps.

>>> check_addin_name("afm_xl.xlam")
'afm_xl'
>>> check_addin_name("AFM-XL.xlam")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
afm_xl.addin.AddinNameError: Το πρόσθετο πρέπει να λέγεται afm_xl.xlam (όχι AFM-XL.xlam): ...
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import importlib.resources
import importlib.util
import logging
import os
import re
import secrets
import shutil
import sys
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .errors import AfmXlError

__all__ = [
    "ADDIN_NAME",
    "AddinError",
    "AddinNameError",
    "InstallReport",
    "build_addin",
    "check_addin_name",
    "default_interpreter",
    "install_addin",
    "manual_udf_steps",
    "template_path",
    "uninstall_addin",
    "xlstart_dir",
]

log = logging.getLogger(__name__)

#: the add-in's file name; its stem is the module the ribbon imports
ADDIN_NAME = "afm_xl.xlam"
#: the xlwings version whose template (and VBA) the add-in is built from; see pyproject.toml
XLWINGS_VERSION = "0.37.8"
TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
#: the modules whose ``@xw.func`` functions become worksheet functions
UDF_MODULES = "afm_xl.udfs"
#: the template's only ribbon callback (``Sub RunMain(control As IRibbonControl)``)
RIBBON_CALLBACK = "RibbonMyAddin.RunMain"
TEMPLATE_CONF_SHEET = "_myaddin.conf"
CONF_SHEET = "myaddin.conf"

ICON_ID = "afmXlFillIcon"
ICON_PART = f"customUI/images/{ICON_ID}.png"
RIBBON_PART = "customUI/customUI.xml"
RIBBON_RELS_PART = "customUI/_rels/customUI.xml.rels"

SCREENTIP = "Συμπλήρωση από ΑΦΜ"
SUPERTIP = (
    "Επιλέξτε τα κελιά με τους ΑΦΜ και πατήστε το κουμπί: οι στήλες στα δεξιά συμπληρώνονται με τα στοιχεία "
    "του μητρώου της ΑΑΔΕ (επωνυμία, διεύθυνση, ΔΟΥ, κατάσταση). Αν δεν έχετε επιλέξει ΑΦΜ, ανοίγουν οι ρυθμίσεις."
)
RIBBON_XML = f"""\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">
  <ribbon>
    <tabs>
      <tab id="afmXlTab" label="ΑΦΜ">
        <group id="afmXlGroup" label="Μητρώο ΑΑΔΕ">
          <button id="afmXlFill" size="large" label="Συμπλήρωση από ΑΦΜ"
            screentip={quoteattr(SCREENTIP)} supertip={quoteattr(SUPERTIP)}
            image="{ICON_ID}" onAction="{RIBBON_CALLBACK}" />
        </group>
      </tab>
    </tabs>
  </ribbon>
</customUI>
"""

RIBBON_RELS_XML = f"""\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="{ICON_ID}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" \
Target="images/{ICON_ID}.png" /></Relationships>
"""

TITLE = "afm-xl"
DESCRIPTION = "Συμπλήρωση στοιχείων από ΑΦΜ (μητρώο ΑΑΔΕ, RgWsPublic2)"

_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_NS = {
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}
# a config value ends up inside a cmd.exe command line (between double quotes)
_BAD_CONF_TEXT = re.compile(r'["\x00-\x1f\x7f]')


class AddinError(AfmXlError):
    """The add-in cannot be built, installed or removed (message in Greek)."""


class AddinNameError(AddinError):
    """The add-in file is not called ``afm_xl.xlam``."""

    exit_code = 2


@dataclasses.dataclass(frozen=True)
class InstallReport:
    """What :func:`install_addin` did, and what the user still has to do."""

    path: Path
    #: the Python that Excel will start (written into the add-in's config sheet)
    interpreter: str
    udfs_imported: bool
    #: steps left to the user, in Greek, in order
    manual_steps: list[str] = dataclasses.field(default_factory=list)


# --- building ------------------------------------------------------------------


def check_addin_name(path: str | os.PathLike[str]) -> str:
    """Return the module the ribbon will import, or raise :class:`AddinNameError`."""
    name = Path(path).name
    if name != ADDIN_NAME:
        raise AddinNameError(
            f"Το πρόσθετο πρέπει να λέγεται {ADDIN_NAME} (όχι {name}): "
            "το Excel τρέχει το module της Python με το όνομα του αρχείου.",
            code="ADDIN_NAME",
        )
    return Path(ADDIN_NAME).stem


def template_path() -> Path:
    """xlwings' ribbon add-in template, from the installed (pinned) xlwings."""
    try:
        installed = importlib.metadata.version("xlwings")
        spec = importlib.util.find_spec("xlwings")
    except (importlib.metadata.PackageNotFoundError, ImportError, ValueError):
        installed, spec = None, None
    if installed != XLWINGS_VERSION:
        raise AddinError(
            f"Χρειάζεται xlwings {XLWINGS_VERSION} (βρέθηκε: {installed or 'κανένα'}): "
            f"pip install xlwings=={XLWINGS_VERSION}",
            code="ADDIN_XLWINGS",
        )
    path = Path(spec.origin).parent / TEMPLATE_NAME if spec and spec.origin else None
    if path is None or not path.is_file():
        raise AddinError(f"Λείπει το πρότυπο {TEMPLATE_NAME} του xlwings.", code="ADDIN_TEMPLATE")
    return path


def build_addin(
    path: str | os.PathLike[str],
    *,
    interpreter: str | None = None,
    mac_interpreter: str | None = None,
) -> Path:
    """Build ``afm_xl.xlam`` at ``path`` (a file path, or an existing folder) and return its path.

    ``interpreter`` goes into ``Interpreter_Win`` and ``mac_interpreter`` into
    ``Interpreter_Mac``; left out, xlwings uses ``python`` from the PATH. The
    file is written atomically; an existing one is replaced.
    """
    target = Path(path)
    if target.is_dir():
        target = target / ADDIN_NAME
    check_addin_name(target)
    conf = {"UDF Modules": UDF_MODULES, "ADD_WORKBOOK_TO_PYTHONPATH": "false"}
    if interpreter:
        conf["Interpreter_Win"] = _conf_text(interpreter, "interpreter")
    if mac_interpreter:
        conf["Interpreter_Mac"] = _conf_text(mac_interpreter, "mac_interpreter")
    with zipfile.ZipFile(template_path()) as template:
        parts = _patched_parts(template, conf)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, lambda out: _write_zip(template, parts, out))
        except PermissionError as exc:
            raise AddinError(
                f"Δεν γράφεται το {target}: αν είναι ανοιχτό στο Excel, κλείστε το Excel και δοκιμάστε ξανά "
                f"({exc.strerror}).",
                code="ADDIN_LOCKED",
            ) from exc
        except OSError as exc:
            raise AddinError(f"Δεν γράφεται το {target}: {exc.strerror or exc}.", code="ADDIN_WRITE") from exc
    return target


def _conf_text(value: str, what: str) -> str:
    if _BAD_CONF_TEXT.search(value):
        raise AddinError(
            f"Μη έγκυρη τιμή για {what}: δεν επιτρέπονται εισαγωγικά και χαρακτήρες ελέγχου.", code="ADDIN_VALUE"
        )
    return value


def _icon_png() -> bytes:
    try:
        return importlib.resources.files("afm_xl").joinpath("data", "ribbon_icon.png").read_bytes()
    except OSError as exc:
        raise AddinError(f"Λείπει το εικονίδιο του πρόσθετου (ελλιπής εγκατάσταση του afm-xl): {exc}") from exc


def _patched_parts(template: zipfile.ZipFile, conf: Mapping[str, str]) -> dict[str, bytes]:
    """The parts that differ from the template (changed or new), by name."""
    from lxml import etree

    def read(name: str):
        try:
            return etree.fromstring(template.read(name))
        except (KeyError, etree.XMLSyntaxError) as exc:
            raise AddinError(f"Απρόσμενο πρότυπο xlwings ({name}): {exc}", code="ADDIN_TEMPLATE") from exc

    workbook = read("xl/workbook.xml")
    sheets = workbook.xpath("s:sheets/s:sheet[@name=$name]", namespaces=_NS, name=TEMPLATE_CONF_SHEET)
    if not sheets:
        raise AddinError(f"Απρόσμενο πρότυπο xlwings: λείπει το φύλλο {TEMPLATE_CONF_SHEET}.", code="ADDIN_TEMPLATE")
    sheets[0].set("name", CONF_SHEET)
    rel_id = sheets[0].get(f"{{{_NS['r']}}}id")
    rels = read("xl/_rels/workbook.xml.rels")
    targets = rels.xpath("pr:Relationship[@Id=$id]/@Target", namespaces=_NS, id=rel_id)
    sheet_part = "xl/" + targets[0].lstrip("/").removeprefix("xl/") if targets else ""

    sheet = _ConfSheet(read(sheet_part), read("xl/sharedStrings.xml"))
    for key, value in conf.items():
        sheet.set(key, value)

    content_types = read("[Content_Types].xml")
    if not content_types.xpath("ct:Default[@Extension='png']", namespaces=_NS):
        png = etree.Element(f"{{{_NS['ct']}}}Default", Extension="png", ContentType="image/png")
        content_types.insert(len(content_types.findall("ct:Default", _NS)), png)

    core = read("docProps/core.xml")
    for tag, text in (("title", TITLE), ("description", DESCRIPTION)):
        for element in core.iterfind(f"dc:{tag}", _NS):
            element.text = text

    return {
        "xl/workbook.xml": _xml_bytes(workbook),
        sheet_part: _xml_bytes(sheet.sheet),
        "xl/sharedStrings.xml": _xml_bytes(sheet.strings),
        "[Content_Types].xml": _xml_bytes(content_types),
        "docProps/core.xml": _xml_bytes(core),
        RIBBON_PART: RIBBON_XML.encode("utf-8"),
        RIBBON_RELS_PART: RIBBON_RELS_XML.encode("utf-8"),
        ICON_PART: _icon_png(),
    }


def _xml_bytes(root) -> bytes:
    from lxml import etree

    return _XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def _write_zip(template: zipfile.ZipFile, parts: Mapping[str, bytes], out) -> None:
    """Copy ``template`` into ``out`` in its member order, replacing ``parts``; new parts follow the ribbon."""
    pending = dict(parts)
    new_parts = [name for name in parts if name not in template.namelist()]
    with zipfile.ZipFile(out, "w") as archive:
        for info in template.infolist():
            data = pending.pop(info.filename) if info.filename in pending else template.read(info)
            _add_member(archive, info.filename, data, info.date_time)
            if info.filename == RIBBON_PART:
                for name in new_parts:
                    _add_member(archive, name, pending.pop(name), info.date_time)
        for name, data in pending.items():  # a template without a ribbon part
            _add_member(archive, name, data, template.infolist()[0].date_time)


def _add_member(archive: zipfile.ZipFile, name: str, data: bytes, date_time) -> None:
    info = zipfile.ZipInfo(name, date_time)
    # PNG is compressed already; everything else deflates well
    info.compress_type = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
    info.create_system = 0  # like the template (and Office): no Unix permission bits
    archive.writestr(info, data)


def _write_atomically(target: Path, write: Callable) -> None:
    """``write(file)`` into a temporary file next to ``target``, then rename it over ``target``."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


class _ConfSheet:
    """The config sheet: keys in column A, values in column B (shared strings).

    The VBA reads column A from A1 down to the first empty cell and compares
    keys upper-cased, so a new key goes right below the last one.
    """

    def __init__(self, sheet, strings):
        self.sheet, self.strings = sheet, strings
        self._data = sheet.find("s:sheetData", _NS)
        self._texts = ["".join(si.itertext()) for si in strings.iterfind("s:si", _NS)]

    def set(self, key: str, value: str) -> None:
        row = self._key_row(key)
        if row is None:
            row = self._row(self._first_free_row())
            self._set_text(self._cell(row, "A"), key)
        self._set_text(self._cell(row, "B"), value)
        self._update_dimension()

    def _key_row(self, key: str):
        for row in self._data.iterfind("s:row", _NS):
            cell = row.find(f"s:c[@r='A{row.get('r')}']", _NS)
            if cell is not None and self._text(cell).upper() == key.upper():
                return row
        return None

    def _first_free_row(self) -> int:
        number = 1
        while self._text(self._data.find(f"s:row/s:c[@r='A{number}']", _NS)):
            number += 1
        return number

    def _text(self, cell) -> str:
        if cell is None:
            return ""
        if cell.get("t") == "inlineStr":
            return "".join(cell.find("s:is", _NS).itertext())
        value = cell.findtext("s:v", "", _NS)
        if cell.get("t") == "s":
            return self._texts[int(value)] if value.isdigit() and int(value) < len(self._texts) else ""
        return value

    def _row(self, number: int):
        from lxml import etree

        rows = self._data.findall("s:row", _NS)
        for row in rows:
            if int(row.get("r")) == number:
                return row
        new = etree.Element(f"{{{_NS['s']}}}row", r=str(number))
        above = [row for row in rows if int(row.get("r")) < number]
        if above and above[-1].get("ht"):
            new.set("ht", above[-1].get("ht"))
        self._data.insert(len(above), new)
        return new

    def _cell(self, row, column: str):
        from lxml import etree

        ref = f"{column}{row.get('r')}"
        cells = row.findall("s:c", _NS)
        for cell in cells:
            if cell.get("r") == ref:
                return cell
        new = etree.Element(f"{{{_NS['s']}}}c", r=ref)
        model = cells[0] if cells else self._data.find("s:row/s:c", _NS)  # the row's key cell, or A1
        if model is not None and model.get("s"):
            new.set("s", model.get("s"))
        before = [cell for cell in cells if _column_number(cell.get("r")) < _column_number(ref)]
        row.insert(list(row).index(before[-1]) + 1 if before else 0, new)
        columns = [_column_number(cell.get("r")) for cell in row.findall("s:c", _NS)]
        row.set("spans", f"{min(columns)}:{max(columns)}")
        return new

    def _set_text(self, cell, text: str) -> None:
        from lxml import etree

        was_shared = cell.get("t") == "s"
        for child in list(cell):
            cell.remove(child)
        cell.set("t", "s")
        etree.SubElement(cell, f"{{{_NS['s']}}}v").text = str(self._string_index(text))
        if not was_shared:
            self.strings.set("count", str(int(self.strings.get("count", "0")) + 1))

    def _string_index(self, text: str) -> int:
        from lxml import etree

        if text in self._texts:
            return self._texts.index(text)
        item = etree.SubElement(self.strings, f"{{{_NS['s']}}}si")
        etree.SubElement(item, f"{{{_NS['s']}}}t").text = text
        if text != text.strip():
            item[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        self._texts.append(text)
        self.strings.set("uniqueCount", str(len(self._texts)))
        return len(self._texts) - 1

    def _update_dimension(self) -> None:
        dimension = self.sheet.find("s:dimension", _NS)
        refs = [cell.get("r") for cell in self._data.iter(f"{{{_NS['s']}}}c")]
        if dimension is None or not refs:
            return
        rows = [int(re.sub(r"\D", "", ref)) for ref in refs]
        columns = [_column_number(ref) for ref in refs]
        dimension.set("ref", f"{_column_name(min(columns))}{min(rows)}:{_column_name(max(columns))}{max(rows)}")


def _column_number(ref: str) -> int:
    """``"B7"`` → 2."""
    number = 0
    for letter in re.match(r"[A-Z]+", ref).group():
        number = number * 26 + ord(letter) - 64
    return number


def _column_name(number: int) -> str:
    """2 → ``"B"``."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


# --- installing ----------------------------------------------------------------


def _system(platform: str | None) -> str:
    platform = platform or sys.platform
    return "windows" if platform.startswith("win") else "mac" if platform == "darwin" else "other"


def xlstart_dir(
    *,
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Path:
    """The folder whose files Excel opens at start-up, for the current user."""
    system = _system(platform)
    environ = os.environ if environ is None else environ
    if system == "windows":
        if not environ.get("APPDATA"):
            raise AddinError("Δεν βρέθηκε ο φάκελος %APPDATA%· δώστε φάκελο με --dir.", code="ADDIN_XLSTART")
        return Path(environ["APPDATA"], "Microsoft", "Excel", "XLSTART")
    if system == "mac":
        return Path(
            home or Path.home(),
            "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel",
        )
    raise AddinError(
        "Το Excel δεν υπάρχει σε αυτό το λειτουργικό σύστημα· δώστε φάκελο με --dir.", code="ADDIN_XLSTART"
    )


def default_interpreter(*, platform: str | None = None, executable: str | None = None) -> str:
    """This Python; on Windows its ``pythonw.exe`` when there is one (no console window)."""
    executable = executable or sys.executable
    if _system(platform) == "windows":
        windowless = Path(executable).with_name("pythonw.exe")
        if windowless.is_file():
            return str(windowless)
    return executable


RESTART_STEP = (
    "Κλείστε το Excel, αν είναι ανοιχτό, και ανοίξτε το ξανά: το πρόσθετο φορτώνεται στην εκκίνηση (καρτέλα «ΑΦΜ»)."
)


def manual_udf_steps() -> list[str]:
    """How to import the worksheet functions into the add-in by hand (Excel for Windows; the ribbon needs none)."""
    project = f"«MyAddin ({ADDIN_NAME})»"
    return [
        "Για τις συναρτήσεις φύλλου (μία φορά, και ξανά μετά από κάθε επανεγκατάσταση): Αρχείο → Επιλογές → "
        "Κέντρο αξιοπιστίας → Ρυθμίσεις Κέντρου αξιοπιστίας → Ρυθμίσεις μακροεντολών: ενεργοποιήστε την "
        "πρόσβαση στο μοντέλο αντικειμένων του έργου VBA («Trust access to the VBA project object model»).",
        f"Προγραμματιστής (Developer) → Visual Basic (Alt+F11). Στο έργο {project} ανοίξτε Modules → xlwings, "
        "βάλτε τον κέρσορα μέσα στη Sub ImportPythonUDFsToAddin και πατήστε F5.",
        f"Με επιλεγμένο το έργο {project} πατήστε Ctrl+S, ώστε οι συναρτήσεις να αποθηκευτούν στο πρόσθετο.",
        "Μετά μπορείτε να απενεργοποιήσετε ξανά την πρόσβαση στο έργο VBA.",
        "Εναλλακτικά, με το πρόσθετο xlwings: καρτέλα xlwings → Import Functions (UDF Modules = "
        f"{UDF_MODULES}). Έτσι οι συναρτήσεις μπαίνουν μόνο στο ενεργό βιβλίο, που αποθηκεύεται ως .xlsm.",
    ]


def install_addin(
    directory: Path | None = None,
    *,
    interpreter: str | None = None,
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    udf_importer: Callable[[Path], None] | None = None,
) -> InstallReport:
    """Build ``afm_xl.xlam`` into Excel's XLSTART folder (or ``directory``) and report what is left to do.

    ``interpreter`` defaults to this Python (see :func:`default_interpreter`).
    On Windows ``udf_importer(path)`` (default: through Excel, via xlwings)
    imports the worksheet functions; if it fails the report lists the manual
    steps. On macOS it also installs xlwings' AppleScript that ``RunPython``
    needs. ``platform``, ``environ`` and ``home`` default to this machine's.
    """
    system = _system(platform)
    target_dir = _target_dir(directory, platform, environ, home)
    interpreter = interpreter or default_interpreter(platform=platform)
    key = "mac_interpreter" if system == "mac" else "interpreter"
    path = build_addin(target_dir / ADDIN_NAME, **{key: interpreter})

    if system == "mac":
        steps = ["Κλείστε εντελώς το Excel (Cmd-Q) και ανοίξτε το ξανά: το πρόσθετο φορτώνεται στην εκκίνηση."]
        try:
            _install_runpython_applescript(home or Path.home())
        except OSError as exc:
            log.warning("Δεν εγκαταστάθηκε το AppleScript του xlwings: %s", exc)
            steps.insert(0, "Σε ένα Terminal τρέξτε: xlwings runpython install")
        return InstallReport(path, interpreter, udfs_imported=False, manual_steps=steps)

    if system == "windows":
        try:
            (udf_importer or _import_udfs_with_excel)(path)
        except Exception as exc:  # any failure (no Excel, no trust, no pywin32) leaves manual steps
            log.warning("Η αυτόματη εισαγωγή των συναρτήσεων στο πρόσθετο δεν έγινε: %s", exc)
        else:
            return InstallReport(path, interpreter, udfs_imported=True, manual_steps=[RESTART_STEP])
    return InstallReport(path, interpreter, udfs_imported=False, manual_steps=[RESTART_STEP, *manual_udf_steps()])


def _target_dir(directory, platform, environ, home) -> Path:
    return Path(directory) if directory is not None else xlstart_dir(platform=platform, environ=environ, home=home)


def _import_udfs_with_excel(path: Path) -> None:
    """Import the UDFs into the add-in through a hidden Excel (Windows; needs VBA project trust)."""
    import xlwings as xw
    from xlwings.udfs import import_udfs

    with xw.App(visible=False, add_book=False) as app:
        app.display_alerts = False
        book = app.books.open(str(path))
        import_udfs(UDF_MODULES, book.api)
        book.save()


def _install_runpython_applescript(home: Path) -> Path:
    """Copy ``xlwings-<version>.applescript``, which RunPython calls on macOS (``xlwings runpython install``)."""
    name = f"xlwings-{XLWINGS_VERSION}.applescript"
    source = template_path().with_name(name)
    target_dir = home / "Library" / "Application Scripts" / "com.microsoft.Excel"
    target_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(source, target_dir / name))


def uninstall_addin(
    directory: Path | None = None,
    *,
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Path | None:
    """Remove ``afm_xl.xlam`` from XLSTART (or ``directory``); return its path, or ``None`` if it was not there."""
    path = _target_dir(directory, platform, environ, home) / ADDIN_NAME
    try:
        path.unlink()
    except FileNotFoundError:
        return None
    except PermissionError as exc:
        raise AddinError(
            f"Δεν αφαιρείται το {path}: κλείστε το Excel και δοκιμάστε ξανά. ({exc.strerror})", code="ADDIN_LOCKED"
        ) from exc
    return path

"""The Excel add-in afm_xl.xlam: the built file, its ribbon, VBA and config sheet; install/uninstall; the CLI.

The checks read the built zip with the standard library (and the VBA with
oletools), independently of how afm_xl.addin writes it.
"""

from __future__ import annotations

import importlib
import re
import struct
import sys
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xlwings

with warnings.catch_warnings():  # oletools still uses pyparsing's deprecated camelCase API
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser

from afm_xl import addin
from afm_xl.addin import ADDIN_NAME, AddinError, AddinNameError, build_addin, install_addin, uninstall_addin
from afm_xl.cli import main as cli_main

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
CUSTOMUI = "{http://schemas.microsoft.com/office/2006/01/customui}"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
WINDOWS_PYTHON = r"C:\Users\Γιώργος\AppData\Local\Programs\Python\Python311\pythonw.exe"

TEMPLATE = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One add-in built with a Windows interpreter, shared by the read-only checks."""
    return build_addin(tmp_path_factory.mktemp("build") / ADDIN_NAME, interpreter=WINDOWS_PYTHON)


@pytest.fixture(scope="module")
def vba(built) -> dict[str, str]:
    """VBA module name → source code."""
    parser = VBA_Parser(str(built))
    try:
        return {Path(vba_name).stem: code for _, _, vba_name, code in parser.extract_macros()}
    finally:
        parser.close()


def read(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def ribbon(path: Path) -> ET.Element:
    return ET.fromstring(read(path, "customUI/customUI.xml"))


def conf_sheet(path: Path) -> dict[str, object]:
    """The config as the VBA reads it: column A from A1 down to the first empty cell → column B."""
    strings = [
        "".join(t.text or "" for t in si.iter(f"{S}t"))
        for si in ET.fromstring(read(path, "xl/sharedStrings.xml")).iter(f"{S}si")
    ]
    cells = {}
    for cell in ET.fromstring(read(path, "xl/worksheets/sheet1.xml")).iter(f"{S}c"):
        value = cell.findtext(f"{S}v")
        if cell.get("t") == "s":
            value = strings[int(value)]
        elif cell.get("t") == "b":
            value = value == "1"
        cells[cell.get("r")] = value
    config, row = {}, 1
    while cells.get(f"A{row}"):
        config[cells[f"A{row}"]] = cells.get(f"B{row}")
        row += 1
    return config


def sheet_names(path: Path) -> list[str]:
    return [sheet.get("name") for sheet in ET.fromstring(read(path, "xl/workbook.xml")).iter(f"{S}sheet")]


# --- the built file ------------------------------------------------------------------------


def test_built_file_is_a_valid_zip_in_the_template_member_order(built):
    with zipfile.ZipFile(built) as archive, zipfile.ZipFile(TEMPLATE) as template:
        assert archive.testzip() is None
        names = archive.namelist()
        assert [name for name in names if name in template.namelist()] == template.namelist()
        assert set(names) - set(template.namelist()) == {addin.RIBBON_RELS_PART, addin.ICON_PART}
        assert len(names) == len(set(names))
        for info in archive.infolist():
            expected = zipfile.ZIP_STORED if info.filename.endswith(".png") else zipfile.ZIP_DEFLATED
            assert info.compress_type == expected, info.filename
        for name in names:
            if name.endswith((".xml", ".rels")):
                ET.fromstring(archive.read(name))  # every XML part is well-formed


def test_vba_project_and_untouched_parts_are_byte_identical_to_the_template(built):
    changed = {"xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "[Content_Types].xml",
               "docProps/core.xml", "customUI/customUI.xml"}
    with zipfile.ZipFile(built) as archive, zipfile.ZipFile(TEMPLATE) as template:
        for name in template.namelist():
            if name not in changed:
                assert archive.read(name) == template.read(name), name
        assert archive.read("xl/vbaProject.bin") == template.read("xl/vbaProject.bin")


def test_build_is_deterministic_and_leaves_no_temporary_files(tmp_path):
    first = build_addin(tmp_path / ADDIN_NAME).read_bytes()
    second = build_addin(tmp_path / ADDIN_NAME).read_bytes()  # replaces the existing file
    assert first == second
    assert [p.name for p in tmp_path.iterdir()] == [ADDIN_NAME]


def test_build_into_an_existing_folder_uses_the_fixed_name(tmp_path):
    assert build_addin(tmp_path) == tmp_path / ADDIN_NAME
    assert build_addin(tmp_path / "new" / "dir" / ADDIN_NAME).is_file()  # parents are created


def test_an_unwritable_target_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(AddinError, match="Δεν γράφεται"):
        build_addin(tmp_path / "file" / ADDIN_NAME)


@pytest.mark.parametrize("name", ["AFM_XL.xlam", "afm-xl.xlam", "afm_xl.xlsm", "myaddin.xlam", "afm_xl"])
def test_refuses_any_other_file_name(tmp_path, name):
    with pytest.raises(AddinNameError, match="afm_xl.xlam") as caught:
        build_addin(tmp_path / name)
    assert caught.value.exit_code == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("interpreter", ['C:\\Py"thon\\python.exe', "C:\\Python\\python.exe\r\ncalc.exe"])
def test_refuses_an_interpreter_that_would_break_the_command_line(tmp_path, interpreter):
    with pytest.raises(AddinError):
        build_addin(tmp_path / ADDIN_NAME, interpreter=interpreter)
    assert list(tmp_path.iterdir()) == []


# --- ribbon and VBA ------------------------------------------------------------------------


def test_ribbon_has_the_greek_tab_and_one_large_button(built):
    root = ribbon(built)
    assert root.tag == f"{CUSTOMUI}customUI"
    tabs = list(root.iter(f"{CUSTOMUI}tab"))
    assert [tab.get("label") for tab in tabs] == ["ΑΦΜ"]
    groups = list(tabs[0].iter(f"{CUSTOMUI}group"))
    assert len(groups) == 1 and groups[0].get("label")
    (button,) = groups[0].iter(f"{CUSTOMUI}button")
    assert button.get("label") == "Συμπλήρωση από ΑΦΜ"
    assert button.get("size") == "large"
    assert button.get("onAction") == "RibbonMyAddin.RunMain"
    assert button.get("screentip")
    supertip = button.get("supertip")
    assert "ΑΦΜ" in supertip and "δεξιά" in supertip and "ρυθμίσεις" in supertip
    assert len(supertip) <= 1024  # the schema's limit
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids)) and not any(i.startswith("my") for i in ids)  # not the template's ids


def test_every_ribbon_callback_is_a_sub_taking_the_ribbon_control(built, vba):
    callbacks = {
        value
        for element in ribbon(built).iter()
        for attribute, value in element.attrib.items()
        if re.fullmatch(r"on[A-Z]\w*|get[A-Z]\w*|loadImage", attribute)
    }
    assert callbacks == {"RibbonMyAddin.RunMain"}
    for callback in callbacks:
        module, sub = callback.split(".")
        signature = rf"^\s*(Public\s+)?Sub\s+{sub}\s*\(\s*control\s+As\s+IRibbonControl\s*\)"
        assert re.search(signature, vba[module], re.IGNORECASE | re.MULTILINE), callback


def test_vba_is_bound_to_the_installed_xlwings_version(vba):
    declared = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', vba["xlwings"]).group(1)
    assert declared == xlwings.__version__ == addin.XLWINGS_VERSION
    assert f'Lib "xlwings64-{xlwings.__version__}.dll"' in vba["xlwings"]


def test_the_module_the_ribbon_imports_has_a_callable_main(built, vba):
    # RunMain: mymodule = <file name without extension>; RunPython "import mymodule;mymodule.main()"
    assert "ThisWorkbook.Name" in vba["RibbonMyAddin"] and '".main()"' in vba["RibbonMyAddin"]
    module = importlib.import_module(built.stem)
    assert built.stem == "afm_xl" and callable(module.main)


def test_icon_is_a_32px_png_linked_by_relationship_and_content_type(built):
    image_id = next(ribbon(built).iter(f"{CUSTOMUI}button")).get("image")
    rels = ET.fromstring(read(built, "customUI/_rels/customUI.xml.rels"))
    (rel,) = [r for r in rels.iter(f"{PR}Relationship") if r.get("Id") == image_id]
    assert rel.get("Type") == IMAGE_REL
    png = read(built, "customUI/" + rel.get("Target"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (width, height, depth, colour) == (32, 32, 8, 6)  # 8-bit RGBA
    defaults = {d.get("Extension"): d.get("ContentType") for d in ET.fromstring(read(built, "[Content_Types].xml"))
                .iter(f"{CT}Default")}
    assert defaults["png"] == "image/png"


def test_ribbon_part_stays_linked_from_the_package(built):
    rels = ET.fromstring(read(built, "_rels/.rels"))
    assert "customUI/customUI.xml" in [r.get("Target") for r in rels.iter(f"{PR}Relationship")]


# --- config sheet --------------------------------------------------------------------------


def test_conf_sheet_is_active_under_the_vba_project_name(built, vba):
    project = re.search(r'PROJECT_NAME As String = "([^"]+)"', vba["xlwings"]).group(1)
    assert sheet_names(built) == [f"{project}.conf"] == ["myaddin.conf"]


def test_conf_sheet_values(built):
    config = conf_sheet(built)
    assert config["UDF Modules"] == "afm_xl.udfs"
    assert config["ADD_WORKBOOK_TO_PYTHONPATH"] == "false"
    assert config["Interpreter_Win"] == WINDOWS_PYTHON
    assert config["Interpreter_Mac"] is None
    # the template's other settings are untouched
    assert config["Use UDF Server"] is False and config["Show Console"] is False and config["Debug UDFs"] is False
    assert {key.upper() for key in config} >= {"PYTHONPATH", "CONDA PATH", "CONDA ENV"}


def test_shared_string_counts_stay_consistent(built):
    sst = ET.fromstring(read(built, "xl/sharedStrings.xml"))
    sheet = ET.fromstring(read(built, "xl/worksheets/sheet1.xml"))
    assert int(sst.get("uniqueCount")) == len(list(sst.iter(f"{S}si")))
    assert int(sst.get("count")) == len([c for c in sheet.iter(f"{S}c") if c.get("t") == "s"])
    assert sheet.find(f"{S}dimension").get("ref") == "A1:B13"


def test_interpreters_are_left_empty_unless_given(tmp_path):
    config = conf_sheet(build_addin(tmp_path / ADDIN_NAME))
    assert config["Interpreter_Win"] is None and config["Interpreter_Mac"] is None
    config = conf_sheet(build_addin(tmp_path / ADDIN_NAME, mac_interpreter="/opt/py/bin/python3"))
    assert config["Interpreter_Mac"] == "/opt/py/bin/python3" and config["Interpreter_Win"] is None


# --- install / uninstall -------------------------------------------------------------------


def test_install_into_a_directory_and_uninstall(tmp_path):
    report = install_addin(tmp_path, platform="linux")
    assert report.path == tmp_path / ADDIN_NAME and report.path.is_file()
    assert report.interpreter == sys.executable
    assert conf_sheet(report.path)["Interpreter_Win"] == sys.executable
    assert not report.udfs_imported
    assert any("ImportPythonUDFsToAddin" in step for step in report.manual_steps)
    assert uninstall_addin(tmp_path) == tmp_path / ADDIN_NAME
    assert not report.path.exists()
    assert uninstall_addin(tmp_path) is None


def test_windows_install_goes_to_xlstart_and_prefers_pythonw(tmp_path):
    python_dir = tmp_path / "Python311"
    python_dir.mkdir()
    (python_dir / "python.exe").touch()
    (python_dir / "pythonw.exe").touch()
    assert addin.default_interpreter(platform="win32", executable=str(python_dir / "python.exe")) == str(
        python_dir / "pythonw.exe"
    )
    assert addin.default_interpreter(platform="linux", executable="/usr/bin/python3") == "/usr/bin/python3"

    environ = {"APPDATA": str(tmp_path / "Roaming")}
    imported = []
    report = install_addin(platform="win32", environ=environ, udf_importer=imported.append, interpreter=WINDOWS_PYTHON)
    assert report.path == tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / ADDIN_NAME
    assert imported == [report.path]
    assert report.udfs_imported and report.interpreter == WINDOWS_PYTHON
    assert not any("ImportPythonUDFsToAddin" in step for step in report.manual_steps)
    assert uninstall_addin(platform="win32", environ=environ) == report.path


def test_windows_install_without_excel_lists_the_manual_steps(tmp_path, caplog):
    def no_excel(path):
        raise OSError("Excel is not installed")

    environ = {"APPDATA": str(tmp_path)}
    # None: the real attempt through xlwings, which fails without Windows and Excel
    importers = (no_excel,) if sys.platform.startswith("win") else (no_excel, None)
    for importer in importers:
        report = install_addin(platform="win32", environ=environ, udf_importer=importer)
        assert report.path.is_file() and not report.udfs_imported
        steps = "\n".join(report.manual_steps)
        assert "ImportPythonUDFsToAddin" in steps and "Trust access to the VBA project object model" in steps
        assert "Κέντρο αξιοπιστίας" in steps and "Import Functions" in steps
    assert "Excel is not installed" in caplog.text


def test_mac_install_goes_to_the_startup_folder_and_enables_runpython(tmp_path):
    report = install_addin(platform="darwin", home=tmp_path, interpreter="/opt/py/bin/python3")
    startup = tmp_path / "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
    assert report.path == startup / ADDIN_NAME and report.path.is_file()
    config = conf_sheet(report.path)
    assert config["Interpreter_Mac"] == "/opt/py/bin/python3" and config["Interpreter_Win"] is None
    script = tmp_path / f"Library/Application Scripts/com.microsoft.Excel/xlwings-{xlwings.__version__}.applescript"
    assert script.is_file()
    assert not report.udfs_imported and report.manual_steps  # restart Excel
    assert uninstall_addin(platform="darwin", home=tmp_path) == report.path


def test_xlstart_needs_a_known_platform():
    with pytest.raises(AddinError, match="--dir"):
        addin.xlstart_dir(platform="linux")
    with pytest.raises(AddinError, match="APPDATA"):
        addin.xlstart_dir(platform="win32", environ={})


# --- CLI -----------------------------------------------------------------------------------


def test_cli_build(tmp_path, capsys):
    target = tmp_path / ADDIN_NAME
    assert cli_main(["addin", "build", "-o", str(target), "--interpreter", WINDOWS_PYTHON]) == 0
    assert str(target) in capsys.readouterr().out
    assert conf_sheet(target)["Interpreter_Win"] == WINDOWS_PYTHON


def test_cli_build_refuses_a_wrong_name(tmp_path, capsys):
    assert cli_main(["addin", "build", "-o", str(tmp_path / "tool.xlam")]) == 2
    assert "afm_xl.xlam" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_install_and_uninstall(tmp_path, capsys, monkeypatch):
    def no_excel(path):
        raise OSError("no Excel in tests")

    monkeypatch.setattr(addin, "_import_udfs_with_excel", no_excel)  # never start a real Excel
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # macOS: the RunPython AppleScript goes under HOME
    assert cli_main(["addin", "install", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / ADDIN_NAME) in out and sys.executable in out
    assert (tmp_path / ADDIN_NAME).is_file()
    assert cli_main(["addin", "uninstall", "--dir", str(tmp_path)]) == 0
    assert "Αφαιρέθηκε" in capsys.readouterr().out
    assert cli_main(["addin", "uninstall", "--dir", str(tmp_path)]) == 0
    assert "Δεν βρέθηκε" in capsys.readouterr().out


def test_cli_addin_needs_an_action():
    with pytest.raises(SystemExit) as caught:
        cli_main(["addin"])
    assert caught.value.code == 2


@pytest.mark.skipif(sys.platform.startswith("win") or sys.platform == "darwin", reason="Excel has an XLSTART here")
def test_cli_install_without_excel_asks_for_a_directory(capsys):
    assert cli_main(["addin", "install"]) == 1
    assert "--dir" in capsys.readouterr().err

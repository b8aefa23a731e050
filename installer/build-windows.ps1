<#
.SYNOPSIS
  Builds the Windows bundle of jlexam (dist\jlexam) and its setup program (dist\jlexam-<version>-setup.exe).

.DESCRIPTION
  Run from any folder, in PowerShell 5.1 or 7, on 64-bit Windows 10/11 with:
  - Python 3.11+ and the project installed in .venv with its dev extras (PyInstaller):
      py -3.11 -m venv .venv
      .venv\Scripts\python.exe -m pip install -c constraints.txt -e ".[gui,dev]"
  - Inno Setup 6.3 or newer (https://jrsoftware.org/isdl.php), unless -SkipInstaller is given;
  - the unofficial Chinese Simplified messages of Inno Setup, ChineseSimplified.isl, saved as
    installer\windows\ChineseSimplified.isl or in the Languages folder of Inno Setup
    (see the comment at the top of installer\windows\jlexam.iss for where to get it).

  Steps: PyInstaller builds dist\jlexam from installer\jlexam.spec; the bundled jlexam.exe runs the demo into
  build\bundle-check and verifies its upload batch (a missing font, migration or module fails here); Inno Setup
  compiles installer\windows\jlexam.iss into dist\jlexam-<version>-setup.exe.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1 -SkipInstaller
#>
param(
    [string]$Python = "",
    [string]$Iscc = "",
    [switch]$SkipInstaller
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Fail([string]$Message) {
    Write-Host "build-windows: $Message" -ForegroundColor Red
    exit 1
}

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { Fail "$What failed (exit code $LASTEXITCODE)" }
}

# --- Python with PyInstaller -------------------------------------------------------------------------------
if (-not $Python) { $Python = Join-Path $Root ".venv\Scripts\python.exe" }
if (-not (Test-Path $Python)) {
    Fail "no Python at $Python. Create the environment first: py -3.11 -m venv .venv; .venv\Scripts\python.exe -m pip install -c constraints.txt -e "".[gui,dev]"""
}
& $Python -c "import PyInstaller, jlexam, PySide6"
if ($LASTEXITCODE -ne 0) {
    Fail "PyInstaller, jlexam or PySide6 is missing from $Python. Run: $Python -m pip install -c constraints.txt -e "".[gui,dev]"""
}
$Version = & $Python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"
if ($LASTEXITCODE -ne 0 -or -not $Version) { Fail "could not read the version from pyproject.toml" }
$Version = "$Version".Trim()
Write-Host "build-windows: jlexam $Version"

# --- the bundle --------------------------------------------------------------------------------------------
$Dist = Join-Path $Root "dist"
$Work = Join-Path $Root "build\pyinstaller"
Invoke-Checked "PyInstaller" {
    & $Python -m PyInstaller --noconfirm --clean --log-level WARN --distpath $Dist --workpath $Work installer\jlexam.spec
}
$Bundle = Join-Path $Dist "jlexam"
foreach ($exe in @("jlexam.exe", "jlexam-gui.exe")) {
    if (-not (Test-Path (Join-Path $Bundle $exe))) { Fail "the bundle lacks $exe" }
}

# --- a quick check of the bundle: the demo writes every document and its upload batch verifies ----------------
# A clean environment for the check: no JLEXAM_ settings of this shell (this script runs in its own process).
@(Get-ChildItem Env: | Where-Object { $_.Name -like "JLEXAM_*" }) | ForEach-Object { Remove-Item "Env:$($_.Name)" }
$Check = Join-Path $Root "build\bundle-check"
if (Test-Path $Check) { Remove-Item -Recurse -Force $Check }
Invoke-Checked "the bundled demo" { & (Join-Path $Bundle "jlexam.exe") demo --out $Check --candidates 30 }
Invoke-Checked "the bundled batch verify" {
    & (Join-Path $Bundle "jlexam.exe") batch verify (Join-Path $Check "upload-batch.zip")
}
$Size = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("build-windows: bundle {0} ({1:N0} MB)" -f $Bundle, $Size)

if ($SkipInstaller) { exit 0 }

# --- the setup program -------------------------------------------------------------------------------------
if (-not $Iscc) {
    $candidates = @()
    $found = Get-Command "ISCC.exe" -ErrorAction SilentlyContinue
    if ($found) { $candidates += $found.Source }
    foreach ($base in @(${env:ProgramFiles(x86)}, $env:ProgramFiles, (Join-Path $env:LOCALAPPDATA "Programs"))) {
        if ($base) { $candidates += (Join-Path $base "Inno Setup 6\ISCC.exe") }
    }
    $Iscc = $candidates | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $Iscc -or -not (Test-Path $Iscc)) {
    Fail "Inno Setup 6 (ISCC.exe) not found: install it from https://jrsoftware.org/isdl.php or pass -Iscc <path>"
}

$Isl = Join-Path $Root "installer\windows\ChineseSimplified.isl"
if (-not (Test-Path $Isl)) { $Isl = Join-Path (Split-Path -Parent $Iscc) "Languages\ChineseSimplified.isl" }
if (-not (Test-Path $Isl)) {
    Fail ("ChineseSimplified.isl not found (an unofficial translation, not installed with Inno Setup). " +
          "Download the one for your Inno Setup version from https://jrsoftware.org/files/istrans/ " +
          "and save it as installer\windows\ChineseSimplified.isl")
}

$Icon = Join-Path $Root "build\installer\jlexam.ico"
Invoke-Checked "the icon" { & $Python installer\make_icon.py $Icon }

Invoke-Checked "Inno Setup" {
    & $Iscc "/DAppVersion=$Version" "/DDistDir=$Bundle" "/DIconFile=$Icon" "/DChineseIsl=$Isl" "/O$Dist" `
        installer\windows\jlexam.iss
}
Write-Host "build-windows: setup program $(Join-Path $Dist "jlexam-$Version-setup.exe")"

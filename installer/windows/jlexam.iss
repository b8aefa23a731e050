; jlexam 职业技能等级认定考务系统 - the Windows setup program (Inno Setup 6.3 or newer).
;
; Built by installer\build-windows.ps1, which first builds the bundle dist\jlexam with PyInstaller
; (installer\jlexam.spec) and then runs, from the repository root:
;   ISCC.exe /DAppVersion=0.1.0 /DDistDir=<repo>\dist\jlexam /DIconFile=<repo>\build\installer\jlexam.ico
;            /DChineseIsl=<path of ChineseSimplified.isl> /O<repo>\dist installer\windows\jlexam.iss
; Every /D is optional; the defaults below work when the script is compiled from this folder after a build.
;
; What the setup does:
; - installs for all users (administrator rights) into C:\Program Files\jlexam ({autopf}\jlexam);
; - Start menu entries for the program and its uninstaller, and a desktop shortcut (a task, ticked by default);
; - a context-menu entry on .zip files, "用 jlexam 校验上报批次", which runs `jlexam.exe batch verify "<file>"`
;   in a console window that stays open until a key is pressed (a task, ticked by default);
; - an upgrade replaces the program files only; each Windows user's database and backups stay in
;   %LOCALAPPDATA%\jlexam (platformdirs.user_data_dir("jlexam", appauthor=False), see jlexam\paths.py), and
;   the new version, on its first start, asks, backs the database up and then migrates it (ui\app.py);
; - uninstalling removes the program, its shortcuts and the context-menu entry, never the databases, backups
;   or keys, and says where they are.
;
; The Chinese setup messages come from ChineseSimplified.isl, an UNOFFICIAL (user-contributed) translation
; that Inno Setup does not install with the compiler. Get the file matching your Inno Setup version from
; https://jrsoftware.org/files/istrans/ (maintained at
; https://github.com/kira-96/Inno-Setup-Chinese-Simplified-Translation; also in the Inno Setup sources,
; https://github.com/jrsoftware/issrc, Files\Languages\Unofficial\ChineseSimplified.isl) and save it as
; installer\windows\ChineseSimplified.isl, or into the Languages folder of Inno Setup. It is layered over
; Default.isl, so a message a slightly older translation lacks appears in English instead of failing.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir AddBackslash(SourcePath) + "..\..\dist\jlexam"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\..\dist"
#endif
#ifndef ChineseIsl
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#endif

#if !FileExists(AddBackslash(DistDir) + "jlexam.exe") || !FileExists(AddBackslash(DistDir) + "jlexam-gui.exe")
  #error The bundle is missing: run installer\build-windows.ps1 (or PyInstaller with installer\jlexam.spec) first.
#endif
#if !FileExists(ChineseIsl)
  #error ChineseSimplified.isl not found: see the comment at the top of this script for where to get it.
#endif

#define AppName "jlexam 职业技能等级认定考务系统"
#define ShortName "jlexam 考务系统"

[Setup]
; The AppId names this program to Windows for upgrades and uninstalling: never change it.
AppId={{92792022-8803-4FD7-A64D-41A9DAAE98A6}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=jlexam
DefaultDirName={autopf}\jlexam
DefaultGroupName={#ShortName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or newer.
MinVersion=10.0.17763
WizardStyle=modern
ShowLanguageDialog=no
Compression=lzma2
SolidCompression=yes
OutputDir={#OutputDir}
OutputBaseFilename=jlexam-{#AppVersion}-setup
#ifdef IconFile
SetupIconFile={#IconFile}
#endif
UninstallDisplayIcon={app}\jlexam-gui.exe
UninstallDisplayName={#AppName}
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Default.isl,{#ChineseIsl}"

[Messages]
FinishedLabel=安装程序已在您的计算机中安装了 [name]。您可以通过已安装的快捷方式运行此应用程序。%n%n如果这是升级安装：数据库和备份都保留在原处。新版本首次启动时会提示升级数据库：先自动备份，再升级数据库结构。

[CustomMessages]
Integration=文件关联：
ZipVerbTask=在 .zip 文件的右键菜单中加入“用 jlexam 校验上报批次”(&V)
ZipVerb=用 jlexam 校验上报批次
DataKept=jlexam 的程序文件已删除。%n%n数据库和备份没有删除：每位 Windows 用户的数据保存在该用户自己的 %1 文件夹中（当前用户为 %2），其中 jlexam.sqlite 是数据库，backups 文件夹是备份。签名密钥和数据密钥保存在 Windows 凭据管理器中，也没有删除。%n%n重新安装 jlexam 后可继续使用这些数据。确定不再需要时，请先另行保存备份，再手动删除该文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "zipverb"; Description: "{cm:ZipVerbTask}"; GroupDescription: "{cm:Integration}"

[InstallDelete]
; An upgrade replaces the whole runtime folder, so no module of the previous version is left behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#ShortName}"; Filename: "{app}\jlexam-gui.exe"; WorkingDir: "{app}"; Comment: "{#AppName}"
Name: "{group}\{cm:UninstallProgram,{#ShortName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#ShortName}"; Filename: "{app}\jlexam-gui.exe"; WorkingDir: "{app}"; Comment: "{#AppName}"; Tasks: desktopicon

[Registry]
; A verb for .zip files of every program that opens them (SystemFileAssociations), leaving the .zip file type
; itself alone. The command is: "C:\Windows\System32\cmd.exe" /c ""<app>\jlexam.exe" batch verify "<file>" & pause"
; (cmd removes the outer pair of quotes after /c; pause keeps the window open to read the result).
Root: HKA; Subkey: "Software\Classes\SystemFileAssociations\.zip\shell\jlexam.verify"; ValueType: string; ValueName: ""; ValueData: "{cm:ZipVerb}"; Flags: uninsdeletekey; Tasks: zipverb
Root: HKA; Subkey: "Software\Classes\SystemFileAssociations\.zip\shell\jlexam.verify"; ValueType: string; ValueName: "Icon"; ValueData: "{app}\jlexam-gui.exe,0"; Tasks: zipverb
Root: HKA; Subkey: "Software\Classes\SystemFileAssociations\.zip\shell\jlexam.verify\command"; ValueType: string; ValueName: ""; ValueData: """{sys}\cmd.exe"" /c """"{app}\jlexam.exe"" batch verify ""%1"" & pause"""; Tasks: zipverb

[Run]
; As the user who started the setup, not as the administrator: the program's data belongs to that user.
Filename: "{app}\jlexam-gui.exe"; Description: "{cm:LaunchProgram,{#ShortName}}"; WorkingDir: "{app}"; Flags: nowait postinstall skipifsilent runasoriginaluser

[UninstallDelete]
; Only the program folder; the users' data lives elsewhere (%LOCALAPPDATA%\jlexam) and stays.
Type: filesandordirs; Name: "{app}\_internal"

[Code]
// After uninstalling, say where the data stayed: %1 is the folder as every user finds it, %2 that folder of the
// user running the uninstaller (platformdirs.user_data_dir("jlexam", appauthor=False) of jlexam\paths.py).
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Note: String;
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then begin
    Note := FmtMessage(CustomMessage('DataKept'), ['%LOCALAPPDATA%\jlexam', ExpandConstant('{localappdata}\jlexam')]);
    StringChangeEx(Note, '%n', #13#10, True);
    MsgBox(Note, mbInformation, MB_OK);
  end;
end;

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AnswerDialog</name>
    <message>
        <location filename="../../ui/pages/publicity.py" line="154"/>
        <source>答复异议</source>
        <translation>Answer objection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="154"/>
        <source>答复</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="158"/>
        <source>异议</source>
        <translation>Objection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="159"/>
        <source>答复期限</source>
        <translation>Answer due</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="161"/>
        <source>例如：复核原始答卷，漏计一题 2 分</source>
        <translation>e.g. original answer sheet re-checked; 2 points for one question had been missed</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="164"/>
        <source>例如：维持原成绩 / 理论成绩更正为 61 分</source>
        <translation>e.g. score stands / theory score corrected to 61</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="166"/>
        <source>复核情况 *</source>
        <translation>Re-check findings *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="167"/>
        <source>答复结论 *</source>
        <translation>Outcome *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="168"/>
        <source>答复日期 *</source>
        <translation>Answered on *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="179"/>
        <source>更正%1成绩</source>
        <translation>Corrected %1 score</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="191"/>
        <source>成绩更正</source>
        <translation>Score correction</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="192"/>
        <source>只有关联了考生的异议才能更正成绩；更正后须重新发布公示。</source>
        <translation>Scores can only be corrected for objections linked to a candidate; after a correction the results must be published again.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="208"/>
        <source>请填写更正后的成绩。</source>
        <translation>Enter the corrected score.</translation>
    </message>
</context>
<context>
    <name>AnswerPanel</name>
    <message>
        <location filename="../../ui/pages/checkin.py" line="129"/>
        <source>等待扫描</source>
        <translation>Waiting for a scan</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="166"/>
        <source>无照片</source>
        <translation>No photo</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="57"/>
        <source>职业技能等级认定考务管理系统</source>
        <translation>Vocational Skill Certification Exam Office</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="136"/>
        <location filename="../../ui/app.py" line="140"/>
        <source>恢复备份</source>
        <translation>Restore backup</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="136"/>
        <source>请输入备份中系统管理员的用户名：</source>
        <translation>User name of an administrator in the backup:</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="140"/>
        <source>请输入该管理员的密码：</source>
        <translation>Enter that administrator&apos;s password:</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="149"/>
        <location filename="../../ui/app.py" line="257"/>
        <source>恢复失败</source>
        <translation>Restore failed</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="266"/>
        <source>已从备份 %1 恢复。</source>
        <translation>Restored from backup %1.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="268"/>
        <source>原数据库文件保存为 %1。</source>
        <translation>The previous database file was kept as %1.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="269"/>
        <source>恢复完成</source>
        <translation>Restore complete</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="270"/>
        <source>请重新登录。</source>
        <translation>Please log in again.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="166"/>
        <source>退出</source>
        <translation>Exit</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="186"/>
        <source>数据库版本过新</source>
        <translation>Database too new</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="189"/>
        <location filename="../../ui/app.py" line="191"/>
        <source>创建数据库</source>
        <translation>Create database</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="190"/>
        <source>数据库 %1 尚未初始化。是否现在创建数据库，并设置系统管理员？</source>
        <translation>Database %1 is not initialised. Create the database now and set up the administrator?</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="200"/>
        <source>数据库 %1 由较早版本的 jlexam 创建，需要升级结构后才能使用。jlexam 不能备份 PostgreSQL 服务器上的数据库：请先请数据库管理员用 pg_dump 备份，备份完成后再升级。</source>
        <translation>Database %1 was created by an earlier version of jlexam and must be upgraded before use. jlexam cannot back up a database on a PostgreSQL server: ask the database administrator to back it up with pg_dump first, then upgrade.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="203"/>
        <source>已备份，升级</source>
        <translation>Backed up; upgrade</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="204"/>
        <source>升级数据库</source>
        <translation>Upgrade database</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="196"/>
        <source>数据库 %1 由较早版本的 jlexam 创建，需要升级结构后才能使用。升级前会自动备份。</source>
        <translation>Database %1 was created by an earlier version of jlexam and must be upgraded before use. It is backed up first.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="198"/>
        <source>备份并升级</source>
        <translation>Back up and upgrade</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="226"/>
        <source>密钥不可用</source>
        <translation>Keys unavailable</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="233"/>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="243"/>
        <location filename="../../ui/app.py" line="248"/>
        <location filename="../../ui/app.py" line="251"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="243"/>
        <source>选择要恢复的备份（最新的在最上面）：</source>
        <translation>Choose the backup to restore (newest first):</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="248"/>
        <source>备份中系统管理员的用户名：</source>
        <translation>User name of an administrator in the backup:</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="251"/>
        <source>该管理员的密码：</source>
        <translation>That administrator&apos;s password:</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="221"/>
        <source>密钥库不可用</source>
        <translation>Keyring unavailable</translation>
    </message>
</context>
<context>
    <name>ApplicationDialog</name>
    <message>
        <location filename="../../ui/pages/registration.py" line="149"/>
        <source>登记报名 — %1</source>
        <translation>Record application — %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="149"/>
        <source>登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="160"/>
        <source>18 位居民身份证号码，末位可为 X</source>
        <translation>18-character resident ID number; the last may be X</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="162"/>
        <source>居民身份证由号码得出，可不填</source>
        <translation>Derived from a resident ID number; may be left empty</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="169"/>
        <source>工作单位或班级</source>
        <translation>Employer or class</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="171"/>
        <source>在校学生填写</source>
        <translation>For students</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="175"/>
        <location filename="../../ui/pages/registration.py" line="183"/>
        <source>未填写</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="185"/>
        <source> 年</source>
        <translation> years</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="187"/>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="192"/>
        <source>例如 中级职称（工程师）</source>
        <translation>e.g. intermediate title (engineer)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="197"/>
        <source>姓名 *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="198"/>
        <source>证件类型</source>
        <translation>ID type</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="199"/>
        <source>证件号码 *</source>
        <translation>ID number *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="200"/>
        <source>性别 *</source>
        <translation>Sex *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="201"/>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="202"/>
        <source>手机号码</source>
        <translation>Mobile phone</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="203"/>
        <source>文化程度 *</source>
        <translation>Education *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="204"/>
        <source>工作单位/班级</source>
        <translation>Employer/class</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="205"/>
        <source>学号</source>
        <translation>Student number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="206"/>
        <source>专业</source>
        <translation>Major</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="207"/>
        <source>毕业年份</source>
        <translation>Graduation year</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="210"/>
        <source>申报职业等级 *</source>
        <translation>Occupation and level *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="211"/>
        <source>从事本职业年限</source>
        <translation>Years in the occupation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="212"/>
        <source>现有证书等级</source>
        <translation>Current certificate level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="213"/>
        <source>证书取得日期</source>
        <translation>Certificate obtained on</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="214"/>
        <source>专业技术职称</source>
        <translation>Professional title</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="215"/>
        <source>职称取得日期</source>
        <translation>Title obtained on</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="216"/>
        <source>申报条件按国家职业标准核查（002 第十七条）：年限、现有证书和学历职称请如实填写，证明材料可在登记后附上。在校学生最高申报三级/高级工（003）。</source>
        <translation>Eligibility conditions are checked against the national occupational standard (002 §17): enter years, current certificate, education and title truthfully; evidence can be attached after recording. Students may apply for level 3 (三级/高级工) at most (003).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="223"/>
        <source>考生</source>
        <translation>Candidate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="223"/>
        <source>申报</source>
        <translation>Applying for</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="277"/>
        <source>本批次没有开考等级。</source>
        <translation>This sitting offers no levels.</translation>
    </message>
</context>
<context>
    <name>ArchiveDialog</name>
    <message>
        <location filename="../../ui/pages/archive.py" line="112"/>
        <source>归档认定批次</source>
        <translation>Archive sitting</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="112"/>
        <source>归档</source>
        <translation>Archive</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="114"/>
        <source>认定批次</source>
        <translation>Sitting</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="116"/>
        <source>例如：档案室 2 号柜第 3 层</source>
        <translation>e.g. records room, cabinet 2, shelf 3</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="119"/>
        <location filename="../../ui/pages/archive.py" line="122"/>
        <source> 年</source>
        <translation> years</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="123"/>
        <source>纸质原件存放位置 *</source>
        <translation>Paper originals kept at *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="124"/>
        <source>纸质档案保管</source>
        <translation>Keep paper records</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="125"/>
        <source>电子档案保管</source>
        <translation>Keep electronic records</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="126"/>
        <source>归档后生成档案目录：每项资料注明纸质或电子、保管期限和存放位置。保管期自归档之日起算，纸质不少于 3 年、电子不少于 5 年（002 第三十六条）；保管期内任何人都不能删除。</source>
        <translation>Archiving creates the archive index: each record with its medium (paper or electronic), retention and location. Retention runs from the archive date: paper at least 3 years, electronic at least 5 (002 §36); nobody can delete anything during retention.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="137"/>
        <source>请填写纸质档案原件的存放位置，以便日后查找（002 第三十五条）。</source>
        <translation>Enter where the paper originals are kept, so they can be found later (002 §35).</translation>
    </message>
</context>
<context>
    <name>ArchivePage</name>
    <message>
        <location filename="../../ui/pages/archive.py" line="199"/>
        <source>认定批次档案</source>
        <translation>Sitting archives</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="199"/>
        <source>监管统计报表</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="200"/>
        <location filename="../../ui/pages/archive.py" line="674"/>
        <source>终止备案报告</source>
        <translation>Termination report</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="215"/>
        <location filename="../../ui/pages/archive.py" line="698"/>
        <source>登记上报完成</source>
        <translation>Mark as reported</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="216"/>
        <source>全部有效证书都在已登记回执的上报批次中后，登记本批次为“已上报”（002 第二十八条）</source>
        <translation>Once every valid certificate is in an upload batch with a recorded receipt, mark this sitting &quot;Reported&quot; (002 §28)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="218"/>
        <source>归档…</source>
        <translation>Archive…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="219"/>
        <source>为已上报的认定批次生成档案目录，登记纸质原件存放位置</source>
        <translation>Create the archive index of a reported sitting and record where the paper originals are kept</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="230"/>
        <source>生成档案包…</source>
        <translation>Export package…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="231"/>
        <location filename="../../ui/pages/archive.py" line="579"/>
        <source>一个批次一个 ZIP：档案目录、全部电子文件、SHA-256 清单和 Ed25519 签名，可用 jlexam batch verify 或 OpenSSL 校验</source>
        <translation>One ZIP per sitting: archive index, all electronic files, SHA-256 manifest and Ed25519 signature; verify with jlexam batch verify or OpenSSL</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="237"/>
        <location filename="../../ui/pages/archive.py" line="344"/>
        <location filename="../../ui/pages/archive.py" line="383"/>
        <location filename="../../ui/pages/archive.py" line="393"/>
        <location filename="../../ui/pages/archive.py" line="419"/>
        <location filename="../../ui/pages/archive.py" line="465"/>
        <location filename="../../ui/pages/archive.py" line="476"/>
        <location filename="../../ui/pages/archive.py" line="639"/>
        <source>认定批次</source>
        <translation>Sitting</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="238"/>
        <location filename="../../ui/pages/archive.py" line="261"/>
        <location filename="../../ui/pages/archive.py" line="345"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="239"/>
        <location filename="../../ui/pages/archive.py" line="477"/>
        <source>归档日期</source>
        <translation>Archived</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="240"/>
        <location filename="../../ui/pages/archive.py" line="478"/>
        <source>纸质保管至</source>
        <translation>Paper until</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="241"/>
        <location filename="../../ui/pages/archive.py" line="479"/>
        <source>电子保管至</source>
        <translation>Elec. until</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="242"/>
        <location filename="../../ui/pages/archive.py" line="480"/>
        <source>纸质原件存放位置</source>
        <translation>Paper originals at</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="243"/>
        <source>条目</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="244"/>
        <location filename="../../ui/pages/archive.py" line="267"/>
        <location filename="../../ui/pages/archive.py" line="347"/>
        <location filename="../../ui/pages/archive.py" line="457"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="245"/>
        <source>最近档案包</source>
        <translation>Last package</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="245"/>
        <source>（尚未生成）</source>
        <translation>(none yet)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="247"/>
        <source>尚无已归档的认定批次。证书数据全部上报并登记回执后，可将批次登记为“已上报”并归档。</source>
        <translation>No archived sittings yet. Once all certificates are uploaded and the receipts recorded, a sitting can be marked &quot;Reported&quot; and archived.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="254"/>
        <source>销毁所选条目…</source>
        <translation>Destroy selected…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="259"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="260"/>
        <location filename="../../ui/pages/archive.py" line="384"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="262"/>
        <source>载体</source>
        <translation>Medium</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="263"/>
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="264"/>
        <source>保管期至</source>
        <translation>Retain until</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="265"/>
        <source>存放位置 / 档案包内文件</source>
        <translation>Location / file in package</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="269"/>
        <source>选择上面的一个已归档批次，查看它的档案目录。</source>
        <translation>Select an archived sitting above to see its archive index.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="229"/>
        <source>已归档的认定批次与档案目录</source>
        <translation>Archived sittings and archive index</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="283"/>
        <source>已销毁（%1）</source>
        <translation>Destroyed (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="287"/>
        <source>保管期内（至 %1，剩 %2 天）</source>
        <translation>In retention (until %1, %2 days left)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="288"/>
        <source>保管期已满（%1 届满）</source>
        <translation>Retention over (ended %1)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="293"/>
        <source>已全部销毁</source>
        <translation>All destroyed</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="295"/>
        <location filename="../../ui/pages/archive.py" line="300"/>
        <source>保管期内</source>
        <translation>In retention</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="296"/>
        <source>保管期已满</source>
        <translation>Retention over</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="308"/>
        <source>认定工作统计报表</source>
        <translation>Certification statistics</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="309"/>
        <location filename="../../ui/pages/archive.py" line="435"/>
        <source>导出 PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="310"/>
        <location filename="../../ui/pages/archive.py" line="436"/>
        <source>导出 Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="316"/>
        <source>统计范围</source>
        <translation>Scope</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="317"/>
        <source>全部认定批次</source>
        <translation>All sittings</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="328"/>
        <source>认定开始日期</source>
        <translation>Sittings starting</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="330"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="332"/>
        <location filename="../../ui/pages/archive.py" line="621"/>
        <source>统计</source>
        <translation>Compute</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="346"/>
        <source>开始日期</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="348"/>
        <location filename="../../ui/pages/archive.py" line="409"/>
        <source>报名</source>
        <translation>Appl.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="349"/>
        <location filename="../../ui/pages/archive.py" line="410"/>
        <source>审核通过</source>
        <translation>Appr.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="350"/>
        <location filename="../../ui/pages/archive.py" line="363"/>
        <source>参考</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="351"/>
        <location filename="../../ui/pages/archive.py" line="364"/>
        <location filename="../../ui/pages/archive.py" line="411"/>
        <source>合格</source>
        <translation>Pass</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="352"/>
        <location filename="../../ui/pages/archive.py" line="365"/>
        <source>缺考</source>
        <translation>Abs.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="353"/>
        <location filename="../../ui/pages/archive.py" line="366"/>
        <source>合格率</source>
        <translation>Pass rate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="354"/>
        <location filename="../../ui/pages/archive.py" line="412"/>
        <location filename="../../ui/pages/archive.py" line="642"/>
        <source>发证</source>
        <translation>Certified</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="356"/>
        <source>统计范围内没有认定批次。</source>
        <translation>No sittings in this scope.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="361"/>
        <source>职业（工种）</source>
        <translation>Occupation (work type)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="362"/>
        <location filename="../../ui/pages/archive.py" line="455"/>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="368"/>
        <source>尚无考试结果。</source>
        <translation>No results yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="375"/>
        <source>星级评定材料（000）</source>
        <translation>Star rating evidence (000)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="376"/>
        <location filename="../../ui/pages/archive.py" line="385"/>
        <source>情况</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="387"/>
        <source>没有缺考、违纪、突发事件或试卷流转异常。</source>
        <translation>No absences, misconduct, incidents or custody anomalies.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="392"/>
        <source>上报批次</source>
        <translation>Upload batch</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="394"/>
        <source>证书数</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="395"/>
        <source>上报期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="395"/>
        <source>（暂定）</source>
        <translation> (est.)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="397"/>
        <source>上报日期</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="398"/>
        <source>及时性</source>
        <translation>On time</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="401"/>
        <source>尚未生成上报批次。</source>
        <translation>No upload batches yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="406"/>
        <source>专业</source>
        <translation>Major</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="407"/>
        <source>毕业年份</source>
        <translation>Graduation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="408"/>
        <source>应届</source>
        <translation>Graduating</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="413"/>
        <source>对应职业</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="413"/>
        <source>（未对应职业）</source>
        <translation>(no occupation)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="416"/>
        <source>没有在校生报名。</source>
        <translation>No student applications.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="420"/>
        <source>职业等级合格率</source>
        <translation>Pass rates by level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="421"/>
        <source>星级评定材料</source>
        <translation>Star rating evidence</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="422"/>
        <source>考场与试卷流转</source>
        <translation>Rooms and paper custody</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="423"/>
        <source>数据上报及时性</source>
        <translation>Upload timeliness</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="424"/>
        <source>专业覆盖（院校）</source>
        <translation>Majors (schools)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="434"/>
        <source>终止备案收尾工作报告（001 第十二、十三条）</source>
        <translation>Filing termination report (001 §12, §13)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="441"/>
        <source>机构终止备案时，应将已发证书数据上报、退还未提供评价服务的费用，并继续保管认定档案。报告列出持证人姓名和脱敏的证件号码，属于个人信息：仅限有权角色导出，每次导出都记入审计日志（002 第三十一条）。</source>
        <translation>When an institution ends its filing it must upload the issued certificates, refund fees for services not provided and keep the certification archive. The report lists holders&apos; names and masked ID numbers, which are personal data: only authorised roles can export it, and every export is written to the audit log (002 §31).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="451"/>
        <source>证书编号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="452"/>
        <location filename="../../ui/pages/archive.py" line="468"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="453"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="454"/>
        <source>职业</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="456"/>
        <source>发证日期</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="458"/>
        <source>上报情况</source>
        <translation>Upload</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="461"/>
        <source>尚未发放证书。</source>
        <translation>No certificates issued yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="466"/>
        <source>批次状态</source>
        <translation>Sitting state</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="467"/>
        <source>报名号</source>
        <translation>Application</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="469"/>
        <source>已收费用（元）</source>
        <translation>Fee paid (yuan)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="471"/>
        <source>没有需要退还的费用。</source>
        <translation>No fees to refund.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="482"/>
        <source>尚无已归档的认定批次。</source>
        <translation>No archived sittings yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="485"/>
        <location filename="../../ui/pages/archive.py" line="680"/>
        <source>已发证书</source>
        <translation>Certificates issued</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="486"/>
        <location filename="../../ui/pages/archive.py" line="683"/>
        <source>待退费用</source>
        <translation>Fees to refund</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="487"/>
        <source>档案保管</source>
        <translation>Archive custody</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="495"/>
        <source>读取档案</source>
        <translation>Read archive</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="515"/>
        <source>认定批次 %1 已上报，请归档：登记纸质原件的存放位置，生成档案目录（002 第三十四至三十六条）。</source>
        <translation>Sitting %1 is reported; archive it: record where the paper originals are kept and create the archive index (002 §34–36).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="549"/>
        <source>请先在顶部选择一个认定批次。</source>
        <translation>Choose a sitting at the top first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="554"/>
        <source>认定批次 %1（%2）：当前为“%3”。</source>
        <translation>Sitting %1 (%2) is &quot;%3&quot;. </translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="557"/>
        <source>已归档，档案目录见下方。</source>
        <translation>Archived; the archive index is below.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="559"/>
        <source>证书数据全部上报后，可登记上报完成：</source>
        <translation>Once all certificates are uploaded it can be marked reported: </translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="560"/>
        <source>证书数据均已上报，可以登记上报完成，然后归档。</source>
        <translation>All certificates are uploaded; mark it reported, then archive it.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="562"/>
        <source>可以归档。</source>
        <translation>It can be archived.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="564"/>
        <source>发证并将证书数据全部上报（已上报）后才能归档（002 第二十八、三十四条）。</source>
        <translation>It can be archived once certificates are issued and all uploaded (Reported) (002 §28, §34).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="567"/>
        <source>登记上报完成需要以下角色之一：%1。</source>
        <translation>Marking as reported needs one of these roles: %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="569"/>
        <source>归档需要以下角色之一：%1。</source>
        <translation>Archiving needs one of these roles: %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="578"/>
        <source>档案包含考生个人信息和考务编排，只有以下角色可以导出：%1。</source>
        <translation>The package holds candidates&apos; personal data and exam arrangements; only these roles can export it: %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="588"/>
        <source>保管期内的档案任何人都不能销毁；保管期满后，只有%1可以写明原因办理销毁（002 第三十六条）。</source>
        <translation>Nobody can destroy records in retention; after it, only the %1 can destroy them, with a reason (002 §36).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="592"/>
        <source>选择保管期已满的条目后可办理销毁。本批次最晚的保管期至 %1，%2 起全部可以销毁。</source>
        <translation>Select records past retention to destroy them. This sitting&apos;s last retention ends %1; from %2 all can be destroyed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="594"/>
        <source>本批次的档案已全部销毁。</source>
        <translation>All records of this sitting are destroyed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="597"/>
        <source>所选第 %1 项在保管期内（至 %2），保管期内任何人都不能销毁（002 第三十六条），最早可于 %3 起销毁。</source>
        <translation>Selected record %1 is in retention (until %2); nobody can destroy it before then (002 §36); it can be destroyed from %3.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="601"/>
        <source>所选第 %1 项已于 %2 销毁。</source>
        <translation>Selected record %1 was destroyed on %2.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="604"/>
        <source>所选 %1 项保管期已满，可以写明原因办理销毁。</source>
        <translation>The %1 selected records are past retention and can be destroyed with a reason.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="608"/>
        <source>档案包含考生个人信息和考务编排，只有%1可以导出（002 第三十一条）。</source>
        <translation>The package holds candidates&apos; personal data and exam arrangements; only the %1 can export it (002 §31).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="633"/>
        <source>机构</source>
        <translation>Institution</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="634"/>
        <source>机构类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="635"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="636"/>
        <source>备案有效期至</source>
        <translation>Filing valid until</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="637"/>
        <source>续期申请日</source>
        <translation>Renewal due</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="638"/>
        <source>最近一次认定</source>
        <translation>Last sitting</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="638"/>
        <source>尚未开展</source>
        <translation>None yet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="640"/>
        <source>报名人数</source>
        <translation>Applications</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="641"/>
        <source>参考 / 合格</source>
        <translation>Sat / passed</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="643"/>
        <source>上报批次按期</source>
        <translation>Upload batches on time</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="644"/>
        <source>尚未上报证书</source>
        <translation>Certificates not uploaded</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="654"/>
        <source>考场记录</source>
        <translation>Room records</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="655"/>
        <source>缺考 %1 人次，违纪 %2 起，突发事件 %3 起</source>
        <translation>%1 absences, %2 misconduct, %3 incidents</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="659"/>
        <source>试卷流转</source>
        <translation>Paper custody</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="660"/>
        <source>试卷袋 %1 个，异常 %2 个（%3 处），哈希链断裂 %4 条</source>
        <translation>%1 paper packets, %2 with anomalies (%3 in all), %4 broken hash chains</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="681"/>
        <source>其中有效</source>
        <translation>Of which valid</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="682"/>
        <source>有效但未上报</source>
        <translation>Valid, not uploaded</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="683"/>
        <source>%1 笔，%2 元</source>
        <translation>%1 payments, %2 yuan</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="685"/>
        <source>已归档批次</source>
        <translation>Archived sittings</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="686"/>
        <source>尚未归档批次</source>
        <translation>Sittings not archived</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="686"/>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="699"/>
        <source>认定批次已登记为“已上报”，可以归档。</source>
        <translation>The sitting is marked &quot;Reported&quot; and can be archived.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="707"/>
        <source>已归档 %1 项：纸质保管至 %2，电子保管至 %3，纸质原件存放于 %4。</source>
        <translation>Archived %1 records: paper kept until %2, electronic until %3, paper originals at %4.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="719"/>
        <source>保存档案包</source>
        <translation>Save archive package</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="720"/>
        <source>ZIP 压缩包 (*.zip)</source>
        <translation>ZIP archive (*.zip)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="725"/>
        <source>生成档案包</source>
        <translation>Export archive package</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="726"/>
        <source>正在整理档案、签名并打包……</source>
        <translation>Collecting, signing and packing the archive…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="728"/>
        <source>已生成档案包 %1（SHA-256 %2…）。它含考生个人信息，请妥善保管；可用 jlexam batch verify 校验。</source>
        <translation>Archive package %1 created (SHA-256 %2…). It holds candidates&apos; personal data: keep it safe. Verify it with jlexam batch verify.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="738"/>
        <source>已销毁 %1 项档案，已记入审计日志。</source>
        <translation>Destroyed %1 records; written to the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="743"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="743"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="744"/>
        <source>保存报表</source>
        <translation>Save report</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="758"/>
        <source>导出统计报表</source>
        <translation>Export statistics</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="759"/>
        <source>已导出认定工作统计报表：%1</source>
        <translation>Certification statistics exported: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="770"/>
        <source>导出终止备案报告</source>
        <translation>Export termination report</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="772"/>
        <source>已导出终止备案收尾工作报告：%1（含持证人个人信息，已记入审计日志）</source>
        <translation>Filing termination report exported: %1 (holds holders&apos; personal data; written to the audit log)</translation>
    </message>
</context>
<context>
    <name>ArrangementPage</name>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="341"/>
        <source>审定并锁定编排</source>
        <translation>Approve and lock</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="536"/>
        <source>%1 · %2 人</source>
        <translation>%1 · %2 candidates</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="681"/>
        <source>主考/质量督导审定座位编排和考务人员安排后锁定；有问题时不能锁定</source>
        <translation>The chief examiner / supervisor approves the seat plan and staff assignments, then locks them; not possible while problems remain</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="346"/>
        <source>考点与考场</source>
        <translation>Sites and rooms</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="59"/>
        <source>无视频监控，不能使用（002 §18）</source>
        <translation>No video surveillance; cannot be used (002 §18)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="67"/>
        <source>考点“%1”缺少有视频监控的%2（002 §19；评分室仅有实操时需要）</source>
        <translation>Site &quot;%1&quot; lacks a video-monitored %2 (002 §19; a marking room is needed only with practical exams)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="347"/>
        <source>座位编排</source>
        <translation>Seat plan</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="348"/>
        <location filename="../../ui/pages/arrangement.py" line="566"/>
        <source>锁定前检查</source>
        <translation>Checks before locking</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="355"/>
        <source>添加考点…</source>
        <translation>Add site…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="356"/>
        <source>添加考场…</source>
        <translation>Add room…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="357"/>
        <source>修改考场…</source>
        <translation>Edit room…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="378"/>
        <source>考点</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="379"/>
        <location filename="../../ui/pages/arrangement.py" line="464"/>
        <source>考场</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="380"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="381"/>
        <source>容量</source>
        <translation>Seats</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="383"/>
        <source>布局</source>
        <translation>Rows × cols</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="385"/>
        <source>%1 排 × %2 列</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="390"/>
        <source>停用座位</source>
        <translation>Out of use</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="392"/>
        <source>视频监控</source>
        <translation>Video</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="393"/>
        <source>有</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="393"/>
        <source>无</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="397"/>
        <location filename="../../ui/pages/arrangement.py" line="497"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="400"/>
        <source>尚未登记考场。先添加考点，再添加理论考场、实操考场、考务办公室、候考室和评分室。</source>
        <translation>No rooms yet. Add a site first, then its theory rooms, practical rooms, exam office, waiting room and marking room.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="402"/>
        <source>按考点、考场、类型筛选（Ctrl+F）</source>
        <translation>Filter by site, room, kind (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="412"/>
        <source>编排</source>
        <translation>Arrange</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="421"/>
        <source>场次</source>
        <translation>Session</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="423"/>
        <source>考场（按勾选顺序依次编排）</source>
        <translation>Rooms (filled in the order ticked)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="432"/>
        <source>留空则随机抽取并记录</source>
        <translation>Random if empty (recorded)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="434"/>
        <source>方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="438"/>
        <source>随机种子</source>
        <translation>Random seed</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="441"/>
        <location filename="../../ui/pages/arrangement.py" line="764"/>
        <source>编排座位</source>
        <translation>Assign seats</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="442"/>
        <location filename="../../ui/pages/arrangement.py" line="687"/>
        <source>重新编排会替换本场次未锁定的座位</source>
        <translation>Assigning again replaces this session&apos;s unlocked seats</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="448"/>
        <source>座位表</source>
        <translation>Seat list</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="450"/>
        <source>调整座位…</source>
        <translation>Move seat…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="454"/>
        <source>调整座位（锁定后）…</source>
        <translation>Move seat (locked)…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="465"/>
        <source>座位号</source>
        <translation>Seat</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="466"/>
        <source>排-列</source>
        <translation>R-C</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="467"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="468"/>
        <source>准考证号</source>
        <translation>Ticket number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="469"/>
        <source>报名号</source>
        <translation>Appl.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="471"/>
        <source>职业（等级）</source>
        <translation>Occupation (level)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="475"/>
        <source>工作单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="477"/>
        <source>本场次尚未编排座位。</source>
        <translation>No seats assigned in this session yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="478"/>
        <source>按姓名、考场、报名号筛选（Ctrl+F）</source>
        <translation>Filter by name, room, application (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="496"/>
        <source>依据</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="499"/>
        <source>没有阻碍锁定的问题。</source>
        <translation>Nothing prevents locking.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="516"/>
        <source>读取考场编排</source>
        <translation>Read seat plans</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="526"/>
        <source>尚无认定批次。请先在“认定批次”页面创建认定批次。</source>
        <translation>No sittings yet. Create a sitting on the &quot;Sittings&quot; page first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="554"/>
        <source>还有 %1 处问题，解决后才能锁定（规则依据见左列）。</source>
        <translation>%1 problems remain; solve them before locking (the rules are in the left column).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="560"/>
        <source>座位编排和考务人员安排符合要求，可由主考/质量督导锁定。</source>
        <translation>The seat plan and staff assignments meet the rules; the chief examiner / supervisor can lock them.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="564"/>
        <source>锁定前检查（%1）</source>
        <translation>Checks before locking (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="580"/>
        <source>本批次尚无场次。</source>
        <translation>This sitting has no sessions yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="590"/>
        <source>座</source>
        <translation>seats</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="591"/>
        <source> 无监控</source>
        <translation> no video</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="618"/>
        <source> 勾选考场，选择方式后点击“编排座位”。</source>
        <translation> Tick the rooms, choose a method and click &quot;Assign seats&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="631"/>
        <source>已由 %1 于 %2 锁定</source>
        <translation>locked by %1 on %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="635"/>
        <source>未锁定</source>
        <translation>not locked</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="639"/>
        <source>%1：%2 人，方式“%3”，随机种子 %4（用同一种子和考场可重新得到同样的编排），编排人 %5，%6。
考场：%7</source>
        <translation>%1: %2 candidates, method &quot;%3&quot;, random seed %4 (the same seed and rooms give the same plan again), arranged by %5, %6.
Rooms: %7</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="656"/>
        <source>编排已锁定（%1）：座位编排和考务人员安排符合要求。</source>
        <translation>Arrangement locked (%1): seat plans and staff meet the requirements.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="659"/>
        <source>编排已锁定（%1），但现有 %2 处问题：须由主考/质量督导用“…（锁定后）”操作调整。</source>
        <translation>Arrangement locked (%1), but %2 problems are found now: a chief examiner or quality supervisor adjusts them with the &quot;… (after lock)&quot; actions.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="664"/>
        <source>编排已锁定（%1），考试已举行：下列 %2 处问题仅供查阅，编排不能再调整。</source>
        <translation>Arrangement locked (%1) and the exam held: the %2 problems below are for reference only; nothing can be changed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="679"/>
        <source>锁定须由主考/质量督导操作</source>
        <translation>Locking is done by the chief examiner / supervisor</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="691"/>
        <source>本场次尚未编排座位</source>
        <translation>No seats assigned in this session yet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="693"/>
        <source>选择一名考生后调整其座位</source>
        <translation>Select a candidate to move their seat</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="697"/>
        <source>本场次没有座位编排</source>
        <translation>This session has no seat plan</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="705"/>
        <source>本场次已开考，不能再调整座位</source>
        <translation>This session has started; seats can no longer be moved</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="710"/>
        <source>主考/质量督导调整已锁定编排中一名考生的座位（须写明理由，002 第二十一条）</source>
        <translation>The chief examiner / supervisor moves one candidate&apos;s seat in a locked plan (with a reason, 002 §21)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="715"/>
        <source>修改所选考场的名称、类型、座位布局和视频监控</source>
        <translation>Edit the selected room&apos;s name, kind, seat layout and video surveillance</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="716"/>
        <source>请先在列表中选择一个考场。</source>
        <translation>Select a room in the list first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="721"/>
        <source>请先添加考点，再添加考场。</source>
        <translation>Add a site first, then its rooms.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="747"/>
        <source>请至少勾选一个考场。</source>
        <translation>Tick at least one room.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="755"/>
        <source>已编排 %1：%2 人，随机种子 %3。</source>
        <translation>Arranged %1: %2 candidates, random seed %3.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="778"/>
        <source>已调整 %1 的座位，调整记入审计日志。</source>
        <translation>Moved the seat of %1; the change is in the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="799"/>
        <source>已添加考点 %1。</source>
        <translation>Site %1 added.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="807"/>
        <source>已保存考场 %1。</source>
        <translation>Room %1 saved.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="817"/>
        <source>锁定考场编排</source>
        <translation>Lock seat plan</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="819"/>
        <source>已锁定考场编排和考务人员安排，批次进入“已编排”，可以制发准考证。</source>
        <translation>Seat plan and staff assignments locked; the sitting is now &quot;Arranged&quot; and admission tickets can be issued.</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../ui/pages/staff.py" line="215"/>
        <source>调整考务人员（锁定后）</source>
        <translation>Change staff (locked plan)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="215"/>
        <source>安排考务人员</source>
        <translation>Assign staff</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="216"/>
        <source>调整</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="216"/>
        <source>安排</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="232"/>
        <source>（不分考场）</source>
        <translation>(all rooms)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="239"/>
        <source>场次 *</source>
        <translation>Session *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="240"/>
        <source>人员 *</source>
        <translation>Person *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="241"/>
        <source>岗位 *</source>
        <translation>Role *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="242"/>
        <source>考场</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="244"/>
        <source>例如：监考员张某因病不能到场</source>
        <translation>e.g. invigilator Zhang is ill and cannot come</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="247"/>
        <source>理由 *</source>
        <translation>Reason *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="249"/>
        <source>编排已锁定：调整须由主考/质量督导写明理由，记入审计日志（002 第二十一条）。</source>
        <translation>The plan is locked: the chief examiner / supervisor must give a reason, which goes into the audit log (002 §21).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="265"/>
        <source>请选择场次和人员。</source>
        <translation>Choose the session and the person.</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../ui/pages/audit.py" line="58"/>
        <location filename="../../ui/pages/audit.py" line="144"/>
        <source>校验审计链</source>
        <translation>Verify chain</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="59"/>
        <source>重新计算每一条记录的哈希，检查是否有记录被改动或删除</source>
        <translation>Recompute every record&apos;s hash to check whether any record was changed or deleted</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="63"/>
        <source>尚未校验。点击“校验审计链”检查审计记录是否完整。</source>
        <translation>Not verified yet. Click &quot;Verify chain&quot; to check that the audit trail is intact.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="66"/>
        <source>审计记录</source>
        <translation>Audit events</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="72"/>
        <source>按用户、操作、对象或摘要查询，例如：admin、登录、备份</source>
        <translation>Search by user, action, object or summary, e.g. admin, login, backup</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="82"/>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="85"/>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="87"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="93"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="95"/>
        <source>时间（北京时间）</source>
        <translation>Time (Beijing)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="97"/>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="98"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="99"/>
        <source>对象</source>
        <translation>Object</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="100"/>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="102"/>
        <source>没有符合条件的审计记录。</source>
        <translation>No audit events match.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="103"/>
        <source>在结果中筛选（Ctrl+F）</source>
        <translation>Filter the results (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="107"/>
        <source>您的角色可以校验审计链，但不能查看审计记录明细。</source>
        <translation>Your role may verify the audit chain but not view the audit events.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="135"/>
        <source>查询审计记录</source>
        <translation>Search audit events</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="145"/>
        <source>正在重新计算每一条记录的哈希……</source>
        <translation>Recomputing the hash of every record…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="153"/>
        <source>%1：%2 条记录，完整无误。</source>
        <translation>%1: %2 records, intact.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="157"/>
        <source>%1：发现 %2 处问题——%3</source>
        <translation>%1: %2 problem(s) found — %3</translation>
    </message>
    <message>
        <location filename="../../ui/pages/audit.py" line="160"/>
        <source>校验时间：%1</source>
        <translation>Verified at: %1</translation>
    </message>
</context>
<context>
    <name>Blockers</name>
    <message>
        <location filename="../../ui/blockers.py" line="28"/>
        <source>尚未登记机构信息：请先在“机构”页面填写备案信息。</source>
        <translation>The institution is not registered yet: fill in the filing on the &quot;Institution&quot; page first.</translation>
    </message>
    <message>
        <location filename="../../ui/blockers.py" line="37"/>
        <source>尚未设置认定范围（职业、工种、等级）：报名只能在备案范围内进行（002 第十六条）。</source>
        <translation>No scope set (occupations, work types, levels): registration is only allowed within the filed scope (002 §16).</translation>
    </message>
    <message>
        <location filename="../../ui/blockers.py" line="40"/>
        <source>机构信息有需要重新备案的变更（001 第八条）：完成重新备案后请在“机构”页面登记。</source>
        <translation>The institution has changes that require re-filing (001 §8): record the re-filing on the &quot;Institution&quot; page once done.</translation>
    </message>
    <message>
        <location filename="../../ui/blockers.py" line="43"/>
        <source>尚无认定批次：创建认定批次后，这里会列出推进到下一步还缺少的事项。</source>
        <translation>No sitting yet: once a sitting exists, this lists what is still missing for its next step.</translation>
    </message>
</context>
<context>
    <name>BriefingDialog</name>
    <message>
        <location filename="../../ui/pages/staff.py" line="318"/>
        <source>登记考务会</source>
        <translation>Record briefing</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="318"/>
        <source>登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="329"/>
        <source>例如 考务办公室</source>
        <translation>e.g. exam office</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="336"/>
        <source>  已安排</source>
        <translation>  assigned</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="344"/>
        <source>会议内容，例如 通报考场安排，学习考场规则和应急预案</source>
        <translation>What was covered, e.g. room arrangements, exam room rules and the emergency plan</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="345"/>
        <source>时间（北京）*</source>
        <translation>Time (Beijing) *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="346"/>
        <source>地点 *</source>
        <translation>Place *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="347"/>
        <source>到会人员 *</source>
        <translation>Attended *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="348"/>
        <source>内容</source>
        <translation>Notes</translation>
    </message>
</context>
<context>
    <name>CertificatesPage</name>
    <message>
        <location filename="../../ui/pages/certificates.py" line="152"/>
        <location filename="../../ui/pages/certificates.py" line="451"/>
        <source>证书</source>
        <translation>Certificates</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="153"/>
        <source>空白证书台账</source>
        <translation>Blank stock ledger</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="162"/>
        <location filename="../../ui/pages/certificates.py" line="436"/>
        <source>发放证书</source>
        <translation>Issue certificates</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="168"/>
        <location filename="../../ui/pages/certificates.py" line="189"/>
        <source>发证日期</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="172"/>
        <source>为合格考生发放证书</source>
        <translation>Issue certificates to passed candidates</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="173"/>
        <location filename="../../ui/pages/certificates.py" line="370"/>
        <source>为成绩合格、尚无证书的考生生成证书编号（序号不重复使用）</source>
        <translation>Generate certificate numbers for candidates who passed and have no certificate yet (serials are never reused)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="182"/>
        <source>本批次证书</source>
        <translation>Certificates of this sitting</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="185"/>
        <source>证书编号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="186"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="187"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="188"/>
        <source>职业等级</source>
        <translation>Occupation and level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="190"/>
        <location filename="../../ui/pages/certificates.py" line="316"/>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="191"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="194"/>
        <source>本批次尚未发证。</source>
        <translation>No certificates issued in this sitting yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="195"/>
        <source>按编号、姓名、状态筛选（Ctrl+F）</source>
        <translation>Filter by number, name, state (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="200"/>
        <source>打印（整页）…</source>
        <translation>Print page…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="201"/>
        <source>在白纸上打印完整的证书（含边框和二维码）</source>
        <translation>Print the complete certificate on plain paper (with border and QR code)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="204"/>
        <source>套打打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="212"/>
        <source>套打空白证书…</source>
        <translation>Print on blanks…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="213"/>
        <source>只打印可变内容，按打印机校准偏移对准预印的空白证书</source>
        <translation>Print only the variable content, aligned to the pre-printed blank certificates by the printer&apos;s calibration offset</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="214"/>
        <source>校准页…</source>
        <translation>Calibrate…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="215"/>
        <source>打印校准页，量出偏移后在“设置 → 打印机校准”中填写</source>
        <translation>Print the calibration page, measure the offset and enter it in &quot;Settings → Printer calibration&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="219"/>
        <source>补发…</source>
        <translation>Reissue…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="220"/>
        <source>更正…</source>
        <translation>Correct…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="221"/>
        <source>作废…</source>
        <translation>Void…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="241"/>
        <location filename="../../ui/pages/certificates.py" line="530"/>
        <source>登记台账</source>
        <translation>Record ledger entry</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="257"/>
        <source>空白证书保管人</source>
        <translation>Custodian of the blank certificates</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="259"/>
        <source>经办人 *</source>
        <translation>Handled by *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="268"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="276"/>
        <source>印废、作废须写明原因</source>
        <translation>Required when spoiled or voided</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="277"/>
        <source>类别 *</source>
        <translation>Kind *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="278"/>
        <source>时间 *</source>
        <translation>Time *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="279"/>
        <source>保管人 *</source>
        <translation>Custodian *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="281"/>
        <source>序号</source>
        <translation>Serials</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="282"/>
        <source>实点数量</source>
        <translation>Counted</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="283"/>
        <location filename="../../ui/pages/certificates.py" line="322"/>
        <source>原因/备注</source>
        <translation>Reason/note</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="292"/>
        <location filename="../../ui/pages/certificates.py" line="547"/>
        <source>与账面核对</source>
        <translation>Compare with ledger</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="294"/>
        <source>登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="300"/>
        <source>专人专账（002 第二十七条）：领用人不能是保管人；序号只能使用一次，印废、作废的序号不再使用。盘点短缺须登记作废并写明原因。</source>
        <translation>One custodian, one ledger (002 §27): the recipient is not the custodian; each serial is used once. Record a stock-take shortfall as void, with the reason.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="311"/>
        <source>台账</source>
        <translation>Ledger</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="314"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="317"/>
        <source>起始序号</source>
        <translation>First serial</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="318"/>
        <source>终止序号</source>
        <translation>Last serial</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="319"/>
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="320"/>
        <source>保管人</source>
        <translation>Custodian</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="321"/>
        <source>经办人</source>
        <translation>Handled by</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="324"/>
        <source>台账尚无记录。空白证书入库时请登记“入库”。</source>
        <translation>The ledger is empty. Record a receipt (入库) when blank certificates arrive.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="338"/>
        <source>读取证书</source>
        <translation>Read certificates</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="342"/>
        <location filename="../../ui/pages/certificates.py" line="362"/>
        <source>尚无认定批次。</source>
        <translation>No sittings yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="350"/>
        <source>成绩已确定，可以发证。本批次已发证 %1 本。</source>
        <translation>Results are final; certificates can be issued. %1 issued in this sitting so far.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="352"/>
        <source>本批次已发证 %1 本，证书数据已上报，不再发放新证书；补发、更正和作废仍可办理。</source>
        <translation>%1 certificates issued and their data reported; no new certificates are issued, but reissue, correction and voiding remain possible.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="355"/>
        <source>成绩尚未确定，暂不能发证：</source>
        <translation>Results are not final yet; certificates cannot be issued:</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="356"/>
        <source>请先完成成绩公示并确定成绩。</source>
        <translation>Complete the result publicity and finalise the results first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="364"/>
        <source>证书数据已上报，不能再为本批次发放新证书。</source>
        <translation>Certificate data has been reported; no new certificates can be issued for this sitting.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="366"/>
        <source>成绩尚未确定，暂不能发证。</source>
        <translation>Results are not final yet; certificates cannot be issued.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="376"/>
        <source>（未找到打印机）</source>
        <translation>(no printer found)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="382"/>
        <source>账面结存 %1 张</source>
        <translation>Ledger balance: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="400"/>
        <source>偏移 右 %1 mm，下 %2 mm</source>
        <translation>Offset right %1, down %2 mm</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="409"/>
        <source>所选证书%1，已不是有效证书。</source>
        <translation>The selected certificate is %1 and no longer valid.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="412"/>
        <source>请先选择一本有效的证书。</source>
        <translation>Select a valid certificate first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="414"/>
        <source>持证人遗失证书时补发：新证书使用新编号，原证书标记为已替换</source>
        <translation>Reissue a lost certificate: the new one gets a new number, the old one is marked replaced</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="415"/>
        <source>更正持证人的姓名或证件号码：须写明理由并附证明材料</source>
        <translation>Correct the holder&apos;s name or ID number: a reason and evidence are required</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="416"/>
        <source>作废所选证书：编号不再使用</source>
        <translation>Void the selected certificate: its number is never reused</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="437"/>
        <source>正在生成证书编号……</source>
        <translation>Generating certificate numbers…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="438"/>
        <source>已发放证书 %1 本（发证日期 %2）。请在 30 个工作日内上报。</source>
        <translation>Issued %1 certificates (issue date %2). Upload them within 30 working days.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="449"/>
        <source>套打空白证书（%1，偏移 %2 / %3 mm）</source>
        <translation>Blank certificates (%1, offset %2 / %3 mm)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="453"/>
        <source>生成证书</source>
        <translation>Generate certificates</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="461"/>
        <source>校准页</source>
        <translation>Calibration page</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="462"/>
        <source>证书打印校准页（按实际大小打印）</source>
        <translation>Certificate calibration page (print at actual size)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="470"/>
        <source>作废证书</source>
        <translation>Void certificate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="470"/>
        <source>作废证书 %1？</source>
        <translation>Void certificate %1?</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="471"/>
        <source>继续</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="474"/>
        <source>已补发证书 %1，原证书 %2 已替换。须重新上报。</source>
        <translation>Reissued certificate %1; the original %2 is replaced. It must be uploaded again.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="476"/>
        <source>证书 %1 已作废，编号不再使用。</source>
        <translation>Certificate %1 is void; its number is not used again.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="486"/>
        <source>已更正，新证书 %1，原证书 %2 已替换。须重新上报。</source>
        <translation>Corrected: new certificate %1; the original %2 is replaced. It must be uploaded again.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="496"/>
        <source>交付人 *</source>
        <translation>Delivered by *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="496"/>
        <source>领用人 *</source>
        <translation>Recipient *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="497"/>
        <source>盘点人 *</source>
        <translation>Counted by *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="497"/>
        <source>报告人 *</source>
        <translation>Reported by *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="516"/>
        <source>请填写保管人和经办人。</source>
        <translation>Enter both the custodian and the other person.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="531"/>
        <source>已登记%1。</source>
        <translation>Recorded: %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="541"/>
        <source>实点 %1 张，与账面一致。</source>
        <translation>Counted %1; matches the ledger.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="543"/>
        <source>实点 %1 张，账面 %2 张，相差 %3 张：短缺的须查明原因并登记作废。</source>
        <translation>Counted %1, ledger %2, difference %3: find the cause of any shortfall and record it as void.</translation>
    </message>
</context>
<context>
    <name>ChangeDialog</name>
    <message>
        <location filename="../../ui/pages/scores.py" line="135"/>
        <source>更正已锁定的成绩</source>
        <translation>Correct a locked score</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="135"/>
        <source>更正</source>
        <translation>Correct</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="140"/>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="148"/>
        <source>写明更正的理由和依据</source>
        <translation>State the reason and basis for the correction</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="150"/>
        <source>考生 *</source>
        <translation>Candidate *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="151"/>
        <source>考核部分 *</source>
        <translation>Exam part *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="152"/>
        <source>更正后成绩 *</source>
        <translation>Corrected score *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="153"/>
        <source>理由 *</source>
        <translation>Reason *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="154"/>
        <source>更正记入审计日志；公示后更正的成绩须重新公示。</source>
        <translation>Corrections are written to the audit log; a score corrected after publication must be publicised again.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="163"/>
        <source>请选择考生。</source>
        <translation>Choose a candidate.</translation>
    </message>
</context>
<context>
    <name>CheckInPage</name>
    <message>
        <location filename="../../ui/pages/checkin.py" line="192"/>
        <location filename="../../ui/pages/checkin.py" line="581"/>
        <source>制发准考证</source>
        <translation>Issue tickets</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="193"/>
        <location filename="../../ui/pages/checkin.py" line="383"/>
        <source>为已编排座位的考生编准考证号；须先锁定考场编排</source>
        <translation>Number the admission tickets of candidates with a seat; the seat plan must be locked first</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="194"/>
        <source>准考证 PDF…</source>
        <translation>Tickets PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="195"/>
        <source>考场文书…</source>
        <translation>Room papers…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="196"/>
        <source>门贴、座位表、带照片的签到表和考场记录表</source>
        <translation>Door lists, seat charts, sign-in sheets with photos and room records</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="209"/>
        <location filename="../../ui/pages/checkin.py" line="277"/>
        <location filename="../../ui/pages/checkin.py" line="543"/>
        <source>人工签到</source>
        <translation>Manual check-in</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="210"/>
        <source>缺考与考场记录</source>
        <translation>Absences and room records</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="218"/>
        <source>扫码签到</source>
        <translation>Scan check-in</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="222"/>
        <source>场次</source>
        <translation>Session</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="231"/>
        <location filename="../../ui/pages/checkin.py" line="390"/>
        <source>光标置于此处，用扫码枪扫描准考证上的二维码</source>
        <translation>Click here, then scan the QR code on the admission ticket</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="232"/>
        <source>扫描准考证二维码</source>
        <translation>Scan the ticket QR code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="243"/>
        <location filename="../../ui/pages/checkin.py" line="425"/>
        <source>等待扫描</source>
        <translation>Waiting for a scan</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="247"/>
        <location filename="../../ui/pages/checkin.py" line="408"/>
        <source>您的角色只能查看签到情况</source>
        <translation>Your role can only view check-in</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="254"/>
        <source>扫码枪故障、二维码无法识别或准考证遗失时，核验身份证件原件后人工签到。须写明理由，记入审计日志。</source>
        <translation>If the scanner fails, the QR code cannot be read or the ticket is lost, check the original ID document and check in manually. A reason is required and goes into the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="261"/>
        <location filename="../../ui/pages/checkin.py" line="315"/>
        <source>准考证号</source>
        <translation>Ticket number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="262"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="264"/>
        <source>10 位准考证号或考生姓名</source>
        <translation>10-digit ticket number or candidate name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="266"/>
        <source>例如：准考证遗失，已核验身份证件原件</source>
        <translation>e.g. ticket lost; original ID document checked</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="268"/>
        <source>按</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="269"/>
        <source>准考证号/姓名 *</source>
        <translation>Ticket / name *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="270"/>
        <source>理由 *</source>
        <translation>Reason *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="295"/>
        <location filename="../../ui/pages/checkin.py" line="549"/>
        <location filename="../../ui/pages/checkin.py" line="552"/>
        <source>登记缺考</source>
        <translation>Record absences</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="296"/>
        <location filename="../../ui/pages/checkin.py" line="394"/>
        <source>停止入场后，把本场次未签到的考生按考场登记为缺考</source>
        <translation>Once entry has closed, record the candidates of this session who have not checked in as absent</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="307"/>
        <source>违纪须填写考生准考证号</source>
        <translation>Required for misconduct</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="309"/>
        <source>经过和处理情况</source>
        <translation>What happened and how it was handled</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="312"/>
        <source>留空则为该考场的监考员</source>
        <translation>Leave empty for the room&apos;s invigilators</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="313"/>
        <source>考场 *</source>
        <translation>Room *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="314"/>
        <source>类型 *</source>
        <translation>Kind *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="316"/>
        <source>情况 *</source>
        <translation>Details *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="317"/>
        <source>签名监考员</source>
        <translation>Signed by</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="319"/>
        <location filename="../../ui/pages/checkin.py" line="574"/>
        <source>登记考场记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="328"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="329"/>
        <source>考场</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="330"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="332"/>
        <source>考生</source>
        <translation>Cand.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="333"/>
        <source>情况</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="335"/>
        <source>本场次尚无考场记录。</source>
        <translation>No room records in this session yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="352"/>
        <source>读取准考证与签到</source>
        <translation>Read tickets and check-in</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="358"/>
        <location filename="../../ui/pages/checkin.py" line="410"/>
        <source>尚无认定批次。</source>
        <translation>No sittings yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="360"/>
        <source>本批次尚未锁定考场编排：准考证按考场编排制发，须先由主考/质量督导锁定编排（002 第二十条）。</source>
        <translation>The seat plan of this sitting is not locked: tickets follow the seat plan, which the chief examiner / supervisor must lock first (002 §20).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="363"/>
        <source>考场编排已锁定，可以制发准考证。</source>
        <translation>The seat plan is locked; admission tickets can be issued.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="365"/>
        <source>已制发准考证 %1 张。考试当天在此扫码签到。</source>
        <translation>%1 admission tickets issued. Scan them here on the exam day.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="367"/>
        <source>本批次考试已结束（%1），签到记录只能查看。</source>
        <translation>The exam of this sitting is over (%1); check-in can only be viewed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="380"/>
        <source>须先由主考/质量督导锁定考场编排，才能制发准考证（002 第二十条）。</source>
        <translation>A chief examiner or quality supervisor must lock the arrangement before tickets are issued (002 §20).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="382"/>
        <source>本批次已制发准考证 %1 张。</source>
        <translation>%1 tickets have been issued for this sitting.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="391"/>
        <source>当前不能扫码签到：见上方说明</source>
        <translation>Scanning is not open now: see the note above</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="393"/>
        <source>核验身份证件原件后人工签到，须写明理由</source>
        <translation>Check in by hand after checking the original ID; a reason is required</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="395"/>
        <source>登记违纪或突发事件，记入考场记录</source>
        <translation>Record misconduct or an incident in the room record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="413"/>
        <source>认定批次已归档：签到和考场记录只能查看。</source>
        <translation>Sitting archived: check-ins and room records are read-only.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="415"/>
        <source>考试已举行（%1）：签到已结束，签到和考场记录只能查看。</source>
        <translation>Exam held (%1): check-in is closed; check-ins and room records are read-only.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="417"/>
        <source>尚未制发准考证：制发准考证后才能签到（002 第二十条）。</source>
        <translation>Tickets have not been issued: check-in opens once tickets are issued (002 §20).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="419"/>
        <source>本批次尚无场次。</source>
        <translation>This sitting has no sessions yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="428"/>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="430"/>
        <source>签到已结束</source>
        <translation>Check-in closed</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="431"/>
        <source>未开放签到</source>
        <translation>Check-in not open</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="464"/>
        <source>应到 %1 人&#x3000;已签到 %2 人（其中人工 %3）&#x3000;缺考 %4 人&#x3000;未到 %5 人</source>
        <translation>Expected %1&#x3000;Checked in %2 (%3 manually)&#x3000;Absent %4&#x3000;Not yet %5</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="475"/>
        <source>开考 %1 分钟后停止入场；停止入场后点击“登记缺考”，未签到的考生按缺考登记。</source>
        <translation>Entry closes %1 minutes after the start; then click &quot;Record absences&quot; to record those not checked in as absent.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="491"/>
        <source>准予入场</source>
        <translation>Admitted</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="491"/>
        <source>拒绝入场</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="491"/>
        <source>%1 号座位</source>
        <translation>Seat %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="498"/>
        <source>不能签到</source>
        <translation>Cannot check in</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="514"/>
        <source>请输入准考证号或姓名。</source>
        <translation>Enter a ticket number or name.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="517"/>
        <source>人工签到须写明理由（如“二维码无法识别”“准考证遗失，已核验身份证件”）。</source>
        <translation>A manual check-in needs a reason (e.g. &quot;QR code unreadable&quot;, &quot;ticket lost, ID document checked&quot;).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="549"/>
        <source>把本场次尚未签到的考生全部登记为缺考？</source>
        <translation>Record every candidate of this session not yet checked in as absent?</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="553"/>
        <source>已登记缺考 %1 人。</source>
        <translation>%1 recorded as absent.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="567"/>
        <source>已登记%1，记入考场记录和审计日志。</source>
        <translation>Recorded: %1; written to the room record and the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="582"/>
        <source>已制发准考证 %1 张。可以打印准考证和考场文书。</source>
        <translation>%1 admission tickets issued. The tickets and room papers can be printed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="592"/>
        <source>生成准考证</source>
        <translation>Generate tickets</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="592"/>
        <source>准考证</source>
        <translation>Admission tickets</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="599"/>
        <source>选择保存考场文书的文件夹</source>
        <translation>Choose a folder for the room papers</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="606"/>
        <source>考场文书已保存到 %1：%2</source>
        <translation>Room papers saved to %1: %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="610"/>
        <source>签到表</source>
        <translation>Sign-in sheet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/checkin.py" line="613"/>
        <source>生成考场文书</source>
        <translation>Generate room papers</translation>
    </message>
</context>
<context>
    <name>CorrectDialog</name>
    <message>
        <location filename="../../ui/pages/certificates.py" line="116"/>
        <source>更正证书</source>
        <translation>Correct certificate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="116"/>
        <source>更正</source>
        <translation>Correct</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="118"/>
        <source>证书</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="120"/>
        <location filename="../../ui/pages/certificates.py" line="122"/>
        <source>不更正则留空</source>
        <translation>Leave empty if unchanged</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="124"/>
        <source>例如：姓名录入错误，附户口簿复印件</source>
        <translation>e.g. name entered wrongly; copy of the household register attached</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="127"/>
        <source>更正后姓名</source>
        <translation>Corrected name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="128"/>
        <source>更正后证件号码</source>
        <translation>Corrected ID number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="129"/>
        <source>理由和证明材料 *</source>
        <translation>Reason and evidence *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="130"/>
        <source>发证日期</source>
        <translation>Issue date</translation>
    </message>
</context>
<context>
    <name>CreateSittingDialog</name>
    <message>
        <location filename="../../ui/pages/sittings.py" line="224"/>
        <source>新建认定批次</source>
        <translation>New sitting</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="224"/>
        <source>创建</source>
        <translation>Create</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="230"/>
        <source>例如 JL202612-01</source>
        <translation>e.g. JL202612-01</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="232"/>
        <source>例如 2026年12月职业技能等级认定</source>
        <translation>e.g. Skill certification, December 2026</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="237"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="240"/>
        <source>批次编号 *</source>
        <translation>Sitting code *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="241"/>
        <source>批次名称 *</source>
        <translation>Sitting name *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="242"/>
        <source>考试日期 *</source>
        <translation>Exam dates *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="245"/>
        <source>开考职业（工种）等级：只能在机构备案的认定范围内选择（002 第十六条）。收费须公示，不以营利为目的（001 第六条）；0 元即免费。</source>
        <translation>Occupations (work types) and levels offered: only within the institution&apos;s filed scope (002 §16). Fees must be published and not for profit (001 §6); 0 yuan means free.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="250"/>
        <source>全选</source>
        <translation>Select all</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="251"/>
        <source>全不选</source>
        <translation>Select none</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="256"/>
        <source>开考</source>
        <translation>Offer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="256"/>
        <source>职业编码</source>
        <translation>Occupation code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="256"/>
        <source>职业</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="257"/>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="257"/>
        <source>收费（元）</source>
        <translation>Fee (yuan)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="313"/>
        <source>请至少勾选一个开考的职业（工种）等级。</source>
        <translation>Tick at least one occupation (work type) and level to offer.</translation>
    </message>
</context>
<context>
    <name>CustodyPage</name>
    <message>
        <location filename="../../ui/pages/custody.py" line="206"/>
        <source>登记试卷袋…</source>
        <translation>Register packet…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="209"/>
        <source>钥匙保管人…</source>
        <translation>Key holders…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="214"/>
        <source>正在读取试卷袋……</source>
        <translation>Reading paper packets…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="234"/>
        <source>扫码登记流转环节</source>
        <translation>Scan to record a custody step</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="238"/>
        <location filename="../../ui/pages/custody.py" line="411"/>
        <source>光标置于此处，用扫码枪扫描试卷袋标签</source>
        <translation>Click here, then scan the packet label</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="239"/>
        <source>扫描试卷袋标签</source>
        <translation>Scan the packet label</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="261"/>
        <source>当前时间</source>
        <translation>Now</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="274"/>
        <source>例如 保密室、A201 考场</source>
        <translation>e.g. secure room, room A201</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="277"/>
        <source>姓名，用顿号或逗号分隔</source>
        <translation>Names, separated by commas</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="279"/>
        <source>两名考生，核验封条完好后签名</source>
        <translation>Two candidates, who sign after checking that the seal is intact</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="283"/>
        <source>未填写</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="284"/>
        <source> 份</source>
        <translation> copies</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="288"/>
        <location filename="../../ui/pages/custody.py" line="347"/>
        <location filename="../../ui/pages/custody.py" line="366"/>
        <source>环节</source>
        <translation>Step</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="289"/>
        <location filename="../../ui/pages/custody.py" line="367"/>
        <source>时间（北京）</source>
        <translation>Time (Beijing)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="290"/>
        <source>运出地点</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="291"/>
        <location filename="../../ui/pages/custody.py" line="368"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="292"/>
        <source>责任人 *</source>
        <translation>Responsible *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="293"/>
        <location filename="../../ui/pages/custody.py" line="370"/>
        <source>见证考生</source>
        <translation>Witnesses</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="294"/>
        <source>封条编号</source>
        <translation>Seal number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="295"/>
        <location filename="../../ui/pages/custody.py" line="343"/>
        <location filename="../../ui/pages/custody.py" line="372"/>
        <source>份数</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="296"/>
        <location filename="../../ui/pages/custody.py" line="374"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="309"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="311"/>
        <source>登记此环节</source>
        <translation>Record this step</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="312"/>
        <location filename="../../ui/pages/custody.py" line="511"/>
        <source>登记（Ctrl+Enter）</source>
        <translation>Record (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="325"/>
        <source>您的角色只能查看流转记录</source>
        <translation>Your role can only view the custody log</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="329"/>
        <location filename="../../ui/pages/custody.py" line="340"/>
        <source>试卷袋</source>
        <translation>Paper packet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="330"/>
        <source>复制标签内容</source>
        <translation>Copy label content</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="331"/>
        <source>复制所选试卷袋标签二维码的内容（签名令牌），用于打印标签</source>
        <translation>Copy the content of the selected packet&apos;s label QR code (signed token) for printing the label</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="341"/>
        <source>试卷代码</source>
        <translation>Paper code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="342"/>
        <source>版本</source>
        <translation>Ver.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="344"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="345"/>
        <source>当前地点</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="346"/>
        <location filename="../../ui/pages/custody.py" line="371"/>
        <source>封条</source>
        <translation>Seal</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="348"/>
        <source>异常</source>
        <translation>Anomalies</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="350"/>
        <source>尚无试卷袋。</source>
        <translation>No paper packets yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="351"/>
        <source>按编号、试卷代码、状态、地点筛选（Ctrl+F）</source>
        <translation>Filter by code, paper code, state, place (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="362"/>
        <location filename="../../ui/pages/custody.py" line="451"/>
        <source>流转记录</source>
        <translation>Custody log</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="365"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="369"/>
        <source>责任人</source>
        <translation>Responsible</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="373"/>
        <source>登记人</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="376"/>
        <source>选择一个试卷袋查看它的流转记录。</source>
        <translation>Select a paper packet to see its custody log.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="391"/>
        <source>读取试卷袋</source>
        <translation>Read paper packets</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="399"/>
        <source>尚无认定批次。请先在“认定批次”页面创建认定批次。</source>
        <translation>No sittings yet. Create a sitting on the &quot;Sittings&quot; page first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="401"/>
        <location filename="../../ui/pages/custody.py" line="436"/>
        <source>尚无认定批次。</source>
        <translation>No sittings yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="404"/>
        <source>本批次尚无试卷袋。点击右上角“登记试卷袋…”，登记后打印标签贴在袋上。</source>
        <translation>No paper packets in this sitting yet. Click &quot;Register packet…&quot; at the top right, then print the label and stick it on the packet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="405"/>
        <source>本批次尚无试卷袋。</source>
        <translation>No paper packets in this sitting yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="407"/>
        <source>登记一个试卷袋，登记后打印标签贴在袋上</source>
        <translation>Register a packet, then print its label and stick it on</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="410"/>
        <source>不能扫码登记：见上方说明</source>
        <translation>Scanning is not possible: see the note above</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="420"/>
        <source>%1 个试卷袋有异常（红色），请主考核查：%2</source>
        <translation>%1 paper packets have anomalies (red); the chief examiner must check them: %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="438"/>
        <source>认定批次已归档：试卷流转记录已随档案确定，只能查看，不能再登记（002 第三十四条）。</source>
        <translation>Sitting archived: the paper custody record is fixed with the archive and read-only (002 §34).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="454"/>
        <source>流转记录 — %1</source>
        <translation>Custody log — %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="456"/>
        <source>读取流转记录</source>
        <translation>Read custody log</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="466"/>
        <source>正在核验标签……</source>
        <translation>Verifying the label…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="487"/>
        <source>标签无效，未登记任何内容：%1</source>
        <translation>Invalid label, nothing recorded: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="508"/>
        <source>请先扫描试卷袋标签。</source>
        <translation>Scan a packet label first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="514"/>
        <source>等待扫描。每登记一个环节都要扫描一次标签。</source>
        <translation>Waiting for a scan. Scan the label once for every step you record.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="516"/>
        <source>试卷袋 %1：%2，%3%4</source>
        <translation>Paper packet %1: %2, %3%4</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="517"/>
        <source>未登记地点</source>
        <translation>no place recorded</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="518"/>
        <source>，封条 %1</source>
        <translation>, seal %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="533"/>
        <source>核对封条上的编号后填写</source>
        <translation>Enter after checking the number on the seal</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="534"/>
        <source>新封条的编号</source>
        <translation>Number of the new seal</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="537"/>
        <source>试卷袋当前为“%1”，一般不能进行此环节。</source>
        <translation>The paper packet is &quot;%1&quot;; this step does not normally follow.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="563"/>
        <source>登记流转环节</source>
        <translation>Record custody step</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="569"/>
        <source>已登记：试卷袋 %1 %2（第 %3 个环节）。请扫描下一个标签。</source>
        <translation>Recorded: paper packet %1 %2 (step %3). Scan the next label.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="581"/>
        <source>（依据：%1）</source>
        <translation> (rule: %1)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="582"/>
        <source>未登记：%1</source>
        <translation>Not recorded: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="594"/>
        <source>已登记试卷袋 %1。请打印标签贴在袋上，然后扫描标签登记“印制”。</source>
        <translation>Paper packet %1 registered. Print the label, stick it on the packet, then scan it to record &quot;print&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="606"/>
        <source>已复制试卷袋 %1 的标签内容。</source>
        <translation>Copied the label content of paper packet %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="620"/>
        <source>读取钥匙保管人</source>
        <translation>Read key holders</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <location filename="../../ui/pages/institution.py" line="107"/>
        <location filename="../../ui/pages/registration.py" line="134"/>
        <source>未填写</source>
        <translation>Not set</translation>
    </message>
</context>
<context>
    <name>DestroyDialog</name>
    <message>
        <location filename="../../ui/pages/archive.py" line="147"/>
        <source>销毁保管期满的档案</source>
        <translation>Destroy records past retention</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="147"/>
        <source>销毁</source>
        <translation>Destroy</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="150"/>
        <source>%1. %2（%3，保管期至 %4）</source>
        <translation>%1. %2 (%3, retained until %4)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="154"/>
        <source>… 共 %1 项</source>
        <translation>… %1 in all</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="157"/>
        <source>条目</source>
        <translation>Records</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="159"/>
        <source>例如：保管期满，依据本机构档案管理制度第 5 条，经档案室主任批准销毁</source>
        <translation>e.g. retention over; destroyed under article 5 of our records policy, approved by the head of records</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="161"/>
        <source>原因 *</source>
        <translation>Reason *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="162"/>
        <source>纸质条目登记原件已销毁；电子资格证明材料从数据库中删除。每一项销毁都记入审计日志，无法撤销。</source>
        <translation>Paper records are marked as destroyed; electronic eligibility evidence is deleted from the database. Every destruction is written to the audit log and cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/archive.py" line="172"/>
        <source>请写明销毁原因（至少 4 个字），例如依据的档案管理制度条款和审批人。</source>
        <translation>Give the reason for the destruction (at least 4 characters), e.g. the records policy article and who approved it.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../ui/errors.py" line="25"/>
        <source>无法完成操作</source>
        <translation>Cannot complete the operation</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="28"/>
        <source>依据：%1</source>
        <translation>Rule: %1</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="31"/>
        <source>程序出错</source>
        <translation>Program error</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="32"/>
        <source>发生了意外错误，本次操作没有完成。</source>
        <translation>An unexpected error occurred; the operation was not completed.</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="33"/>
        <source>请点击“复制详情”，把内容发给系统维护人员。已保存的数据不受影响。</source>
        <translation>Click &quot;Copy details&quot; and send the text to your system maintainer. Saved data is not affected.</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="36"/>
        <source>复制详情</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="39"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>EvidenceDialog</name>
    <message>
        <location filename="../../ui/pages/registration.py" line="368"/>
        <source>附证明材料 — %1</source>
        <translation>Attach evidence — %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="368"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="375"/>
        <source>扫描件或照片，PDF、JPG、PNG，不超过 20 MB</source>
        <translation>Scan or photo: PDF, JPG or PNG, up to 20 MB</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="376"/>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="381"/>
        <source>材料类型</source>
        <translation>Evidence type</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="382"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="387"/>
        <source>选择证明材料</source>
        <translation>Choose evidence</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="388"/>
        <source>证明材料 (*.pdf *.jpg *.jpeg *.png);;所有文件 (*)</source>
        <translation>Evidence (*.pdf *.jpg *.jpeg *.png);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="394"/>
        <source>请选择文件。</source>
        <translation>Choose a file.</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <location filename="../../ui/login.py" line="179"/>
        <source>初始设置 — 创建系统管理员</source>
        <translation>First start — create the administrator</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="179"/>
        <source>创建系统管理员</source>
        <translation>Create administrator</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="181"/>
        <source>这是一个新的数据库，还没有任何用户。请为系统管理员设置用户名和密码；其他人员的账户由管理员登录后在“设置 → 用户与角色”中添加。</source>
        <translation>This is a new database without any users. Set the administrator&apos;s user name and password; the administrator adds everyone else&apos;s accounts under &quot;Settings → Users and roles&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="183"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="185"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="186"/>
        <source>系统管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="187"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="187"/>
        <source>至少 8 位，含字母和数字</source>
        <translation>At least 8 characters, letters and digits</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="188"/>
        <source>再次输入密码</source>
        <translation>Repeat password</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="189"/>
        <location filename="../../ui/login.py" line="212"/>
        <location filename="../../ui/login.py" line="220"/>
        <source>创建并登录</source>
        <translation>Create and log in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="191"/>
        <source>退出</source>
        <translation>Exit</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="195"/>
        <source>数据库：%1</source>
        <translation>Database: %1</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="201"/>
        <source>两次输入的密码不一致，请重新输入。</source>
        <translation>The two passwords do not match. Please enter them again.</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="212"/>
        <source>正在创建……</source>
        <translation>Creating…</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <location filename="../../ui/main_window.py" line="85"/>
        <source>职业技能等级认定考务管理系统</source>
        <translation>Vocational Skill Certification Exam Office</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="87"/>
        <source>尚未登记机构信息</source>
        <translation>Institution not registered</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="94"/>
        <source>当前认定批次</source>
        <translation>Current sitting</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="100"/>
        <source>切换当前认定批次（Ctrl+B）</source>
        <translation>Switch the current sitting (Ctrl+B)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="120"/>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="122"/>
        <source>锁定屏幕（Ctrl+L）</source>
        <translation>Lock screen (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="123"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
</context>
<context>
    <name>InstitutionPage</name>
    <message>
        <location filename="../../ui/pages/institution.py" line="57"/>
        <source>用人单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="58"/>
        <source>职业院校</source>
        <translation>Vocational school</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="59"/>
        <source>高等学校</source>
        <translation>University</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="60"/>
        <source>社会培训评价组织</source>
        <translation>Social training-assessment organisation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="207"/>
        <location filename="../../ui/pages/institution.py" line="587"/>
        <source>保存机构信息</source>
        <translation>Save institution</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="407"/>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="215"/>
        <source>正在读取机构信息……</source>
        <translation>Reading the institution…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="219"/>
        <source>登记已重新备案…</source>
        <translation>Record re-filing…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="250"/>
        <source>备案信息</source>
        <translation>Filing</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="256"/>
        <source>与备案文件一致的机构全称</source>
        <translation>The institution&apos;s full name as on the filing documents</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="259"/>
        <source>18 位，见营业执照或登记证书</source>
        <translation>18 characters, see the business licence or registration certificate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="277"/>
        <source>机构名称</source>
        <translation>Institution name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="278"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="279"/>
        <source>机构类型</source>
        <translation>Institution kind</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="280"/>
        <source>注册地址</source>
        <translation>Registered address</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="281"/>
        <source>法定代表人</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="282"/>
        <source>联系人</source>
        <translation>Contact person</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="283"/>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="284"/>
        <source>备案编号</source>
        <translation>Filing number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="286"/>
        <source>带 ⚑ 的项目变更后需要向省人社厅重新备案（001 第八条）；认定考点和认定范围的变更同样需要。</source>
        <translation>Items marked ⚑ require re-filing with the provincial department when changed (001 §8); so do changes of exam sites and scope.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="304"/>
        <source>变更需要重新备案（001 第八条）</source>
        <translation>A change requires re-filing (001 §8)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="308"/>
        <source>备案有效期</source>
        <translation>Filing validity</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="313"/>
        <source>不填写时按备案日期起 3 年计算（001 第七条）</source>
        <translation>If empty: 3 years from the filing date (001 §7)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="314"/>
        <source>备案日期</source>
        <translation>Filed on</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="315"/>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="326"/>
        <source>证书编号规则</source>
        <translation>Certificate numbering</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="330"/>
        <source>Y（用人单位、院校）</source>
        <translation>Y (employer, school)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="331"/>
        <source>S（社会培训评价组织）</source>
        <translation>S (social training-assessment organisation)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="338"/>
        <source>第 1 位 机构类别</source>
        <translation>Position 1 category</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="338"/>
        <source>第 2-5 位 机构代码</source>
        <translation>Positions 2-5 institution code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="338"/>
        <source>第 6-7 位 省份代码</source>
        <translation>Positions 6-7 province code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="339"/>
        <source>第 8-13 位 考点序号</source>
        <translation>Positions 8-13 site serial</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="356"/>
        <source>认定范围（职业 × 工种 × 等级）</source>
        <translation>Scope (occupation × work type × level)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="357"/>
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="358"/>
        <source>删除所选</source>
        <translation>Delete selected</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="359"/>
        <location filename="../../ui/pages/institution.py" line="675"/>
        <source>保存认定范围</source>
        <translation>Save scope</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="360"/>
        <location filename="../../ui/pages/institution.py" line="695"/>
        <source>更新职业目录</source>
        <translation>Update occupation catalogue</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="361"/>
        <source>导入随程序附带的《职业分类大典（2022年版）》职业目录</source>
        <translation>Import the occupation catalogue (Occupational Classification 2022) shipped with the program</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="364"/>
        <source>报名只能在备案的认定范围内进行（002 第十六条）。首次登记的范围属于备案本身；之后的修改需要重新备案。</source>
        <translation>Registration is only allowed within the filed scope (002 §16). The first scope is part of the filing itself; later changes require re-filing.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="371"/>
        <source>职业编码</source>
        <translation>Occupation code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="372"/>
        <source>职业</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="373"/>
        <source>工种</source>
        <translation>Work type</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="373"/>
        <source>（无工种）</source>
        <translation>(no work type)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="374"/>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="376"/>
        <source>尚未设置认定范围。点击“添加…”选择职业、工种和等级。</source>
        <translation>No scope yet. Click &quot;Add…&quot; to choose occupations, work types and levels.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="404"/>
        <source>正在保存……</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="406"/>
        <source>没有要保存的修改。</source>
        <translation>No changes to save.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="408"/>
        <source>请先在下表中选择要删除的认定范围。</source>
        <translation>Select the scope rows to delete in the table below first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="409"/>
        <source>从认定范围中删除所选的行（点击“保存认定范围”后生效）</source>
        <translation>Remove the selected rows from the scope (takes effect on &quot;Save scope&quot;)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="410"/>
        <source>认定范围没有修改。</source>
        <translation>The scope has not changed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="415"/>
        <source>读取机构信息</source>
        <translation>Read institution</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="421"/>
        <source>尚未登记机构信息。请按备案文件填写下列信息并保存。</source>
        <translation>The institution is not registered yet. Fill in the fields below from the filing documents and save.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="462"/>
        <source>· 认定范围或考点已变更</source>
        <translation>· Scope or exam sites changed</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="463"/>
        <source>以下变更需要向省人社厅重新备案（001 第八条）：
%1</source>
        <translation>The following changes require re-filing with the provincial department (001 §8):
%1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="511"/>
        <source>已修改：保存后将标记为需要重新备案。</source>
        <translation>Changed: will be marked as requiring re-filing when saved.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="515"/>
        <source>%1年%2月%3日</source>
        <translation>%1-%2-%3</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="522"/>
        <source>尚未登记备案有效期。请在机构页面填写备案日期和有效期。</source>
        <translation>No filing validity recorded. Enter the filing date and validity on this page.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="524"/>
        <source>备案已于 %1 到期，不能开展认定（001 第七条）。请向省人社厅重新备案。</source>
        <translation>The filing expired on %1; no certification may be held (001 §7). File again with the provincial department.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="526"/>
        <source>备案将于 %1 到期（剩 %2 天），应在到期前 3 个月申请续期（001 第九条）。</source>
        <translation>The filing expires on %1 (%2 days left); apply for renewal 3 months before expiry (001 §9).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="528"/>
        <source>备案有效期至 %1；请于 %2 起申请续期。</source>
        <translation>Filing valid until %1; apply for renewal from %2.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="545"/>
        <source>未填写有效期：按备案日期起 3 年计算，至 %1。</source>
        <translation>Validity not set: 3 years from the filing date, until %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="557"/>
        <source>示例（今年发证的%2第 1 本）：%1</source>
        <translation>Example (the first %2 certificate issued this year): %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="534"/>
        <source>备案有效期为 3 年（001 第七条），应在到期前 3 个月申请续期（001 第九条）。</source>
        <translation>A filing is valid for 3 years (001 §7); apply for renewal 3 months before it expires (001 §9).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="570"/>
        <source>请填写 18 位统一社会信用代码。</source>
        <translation>Enter the 18-character unified social credit code.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="579"/>
        <source>需要重新备案</source>
        <translation>Re-filing required</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="580"/>
        <source>%1 的变更需要向省人社厅重新备案（001 第八条）。保存后，机构将被标记为“需重新备案”，直到登记完成重新备案。是否保存？</source>
        <translation>Changes to %1 require re-filing with the provincial Human Resources and Social Security Department (001 §8). After saving, the institution will be marked &quot;re-filing due&quot; until the re-filing is recorded. Save?</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="582"/>
        <location filename="../../ui/pages/institution.py" line="672"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="601"/>
        <source>机构信息已保存。</source>
        <translation>Institution saved.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="619"/>
        <source>登记已重新备案</source>
        <translation>Record re-filing</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="623"/>
        <source>请填写省人社厅受理重新备案的日期。登记后，“需重新备案”的标记将被清除。</source>
        <translation>Enter the date the provincial department accepted the re-filing. The &quot;re-filing due&quot; flag is then cleared.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="624"/>
        <source>重新备案日期</source>
        <translation>Re-filed on</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="626"/>
        <source>登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="627"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="634"/>
        <source>登记重新备案</source>
        <translation>Record re-filing</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="645"/>
        <source>职业目录为空</source>
        <translation>Occupation catalogue empty</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="645"/>
        <source>请先点击“更新职业目录”导入职业分类大典的职业目录。</source>
        <translation>Click &quot;Update occupation catalogue&quot; first to import the occupations of the classification.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="667"/>
        <source>请先保存机构信息</source>
        <translation>Save the institution first</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="667"/>
        <source>请先填写并保存备案信息，再设置认定范围。</source>
        <translation>Fill in and save the filing first, then set the scope.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="670"/>
        <source>修改认定范围</source>
        <translation>Change scope</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="671"/>
        <source>认定范围的变更需要向省人社厅重新备案（001 第八条）。保存后机构将被标记为“需重新备案”。是否保存？</source>
        <translation>Changes of scope require re-filing with the provincial department (001 §8). After saving, the institution will be marked &quot;re-filing due&quot;. Save?</translation>
    </message>
</context>
<context>
    <name>KeyHoldersDialog</name>
    <message>
        <location filename="../../ui/pages/custody.py" line="150"/>
        <source>保密室钥匙保管人</source>
        <translation>Secure room key holders</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="150"/>
        <source>登记保管人</source>
        <translation>Record key holder</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="153"/>
        <source>保管人</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="153"/>
        <source>钥匙</source>
        <translation>Key</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="154"/>
        <location filename="../../ui/pages/custody.py" line="165"/>
        <source>任命日期</source>
        <translation>Appointed on</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="155"/>
        <source>尚未登记钥匙保管人。保密室应由两人分别保管钥匙。</source>
        <translation>No key holders recorded yet. The secure room&apos;s keys should be held by two different people.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="161"/>
        <source>例如 保密室钥匙 A</source>
        <translation>e.g. secure room key A</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="163"/>
        <source>保管人 *</source>
        <translation>Holder *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="164"/>
        <source>钥匙 *</source>
        <translation>Key *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="171"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../ui/labels.py" line="21"/>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="22"/>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="24"/>
        <source>居民身份证</source>
        <translation>Resident ID card</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="25"/>
        <source>护照</source>
        <translation>Passport</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="26"/>
        <source>港澳居民居住证</source>
        <translation>HK/Macao residence permit</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="27"/>
        <source>台湾居民居住证</source>
        <translation>Taiwan residence permit</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="29"/>
        <source>小学</source>
        <translation>Primary school</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="30"/>
        <source>初中</source>
        <translation>Junior secondary</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="31"/>
        <source>高中/中专</source>
        <translation>Senior / vocational secondary</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="32"/>
        <source>技工院校</source>
        <translation>Technical school</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="33"/>
        <source>大专/高职</source>
        <translation>Junior college</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="34"/>
        <source>本科</source>
        <translation>Bachelor</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="35"/>
        <source>研究生</source>
        <translation>Postgraduate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="37"/>
        <source>学历证书</source>
        <translation>Diploma</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="38"/>
        <source>职业资格/技能等级证书</source>
        <translation>Qualification / skill certificate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="39"/>
        <source>工作年限证明</source>
        <translation>Proof of work years</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="40"/>
        <source>职称证书</source>
        <translation>Title certificate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="41"/>
        <source>其他材料</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="43"/>
        <source>待核查</source>
        <translation>To check</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="44"/>
        <source>符合</source>
        <translation>Eligible</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="45"/>
        <source>不符合</source>
        <translation>Not eligible</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="46"/>
        <source>待审核</source>
        <translation>Undecided</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="47"/>
        <source>通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="48"/>
        <source>不通过</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="49"/>
        <source>破格通过</source>
        <translation>By exception</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="51"/>
        <source>全部报名</source>
        <translation>All applications</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="52"/>
        <source>已核查、待审核</source>
        <translation>Checked, undecided</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="53"/>
        <source>符合申报条件</source>
        <translation>Eligible</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="54"/>
        <source>不符合申报条件</source>
        <translation>Not eligible</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="55"/>
        <source>审核通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="56"/>
        <source>审核不通过</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="58"/>
        <source>合格</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="59"/>
        <source>不合格</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="60"/>
        <source>缺考</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="61"/>
        <source>违纪</source>
        <translation>Misconduct</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="62"/>
        <source>待定</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="64"/>
        <source>理论知识考试</source>
        <translation>Theory exam</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="65"/>
        <source>操作技能考核</source>
        <translation>Practical exam</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="66"/>
        <source>综合评审</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="68"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="69"/>
        <source>报名中</source>
        <translation>Registration open</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="70"/>
        <source>报名截止</source>
        <translation>Registration closed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="71"/>
        <source>已编排</source>
        <translation>Arranged</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="72"/>
        <source>已发准考证</source>
        <translation>Tickets issued</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="73"/>
        <source>已考试</source>
        <translation>Held</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="74"/>
        <source>已评分</source>
        <translation>Marked</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="75"/>
        <source>公示中</source>
        <translation>In publicity</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="76"/>
        <source>成绩确定</source>
        <translation>Final</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="77"/>
        <source>已发证</source>
        <translation>Certified</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="78"/>
        <source>已上报</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="79"/>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="81"/>
        <source>首次发证</source>
        <translation>Original</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="82"/>
        <source>补发</source>
        <translation>Reissue</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="83"/>
        <source>更正</source>
        <translation>Correction</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="84"/>
        <source>有效</source>
        <translation>Valid</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="85"/>
        <source>已替换</source>
        <translation>Replaced</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="86"/>
        <source>已换发</source>
        <translation>Replaced</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="87"/>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="89"/>
        <source>入库</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="90"/>
        <source>领用</source>
        <translation>Issue</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="91"/>
        <source>印废</source>
        <translation>Spoiled</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="92"/>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="93"/>
        <source>盘点</source>
        <translation>Stock-take</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="94"/>
        <source>在库</source>
        <translation>In stock</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="95"/>
        <source>已领用</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="96"/>
        <source>已印废</source>
        <translation>Spoiled</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="98"/>
        <source>印制</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="99"/>
        <source>封装</source>
        <translation>Seal</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="100"/>
        <source>入库保管</source>
        <translation>Store</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="101"/>
        <source>出库</source>
        <translation>Take out</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="102"/>
        <source>运送</source>
        <translation>Transport</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="103"/>
        <source>交接</source>
        <translation>Hand over</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="104"/>
        <source>启封</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="105"/>
        <source>回收</source>
        <translation>Collect</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="106"/>
        <source>回收封装</source>
        <translation>Reseal</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="107"/>
        <source>交评分组</source>
        <translation>To markers</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="108"/>
        <source>归还入库</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="109"/>
        <source>归档</source>
        <translation>Archive</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="111"/>
        <source>未印制</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="112"/>
        <source>已印制</source>
        <translation>Printed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="113"/>
        <source>已封装</source>
        <translation>Sealed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="114"/>
        <source>已出库</source>
        <translation>Taken out</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="115"/>
        <source>已启封</source>
        <translation>Opened</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="116"/>
        <source>已回收</source>
        <translation>Collected</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="117"/>
        <source>已回收封装</source>
        <translation>Resealed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="118"/>
        <source>评分中</source>
        <translation>With markers</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="119"/>
        <source>已归还</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="121"/>
        <source>已答复</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="122"/>
        <source>已答复（逾期）</source>
        <translation>Answered late</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="123"/>
        <source>待答复</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="124"/>
        <source>已逾期未答复</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="126"/>
        <source>分数 0–100（最多一位小数），或“缺考”“违纪”</source>
        <translation>Score 0–100 (max. one decimal), &quot;absent&quot; or &quot;misconduct&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="128"/>
        <source>已生成、待上报</source>
        <translation>Exported</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="129"/>
        <source>平台已确认</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="131"/>
        <source>理论考场</source>
        <translation>Theory</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="132"/>
        <source>实操考场</source>
        <translation>Practical</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="133"/>
        <source>综合评审室</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="134"/>
        <source>考务办公室</source>
        <translation>Exam office</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="135"/>
        <source>候考室</source>
        <translation>Waiting room</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="136"/>
        <source>评分室</source>
        <translation>Marking room</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="137"/>
        <source>依次坐满</source>
        <translation>Fill in order</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="138"/>
        <source>均衡分布</source>
        <translation>Spread evenly</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="140"/>
        <source>主考</source>
        <translation>Chief examiner</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="141"/>
        <source>考务组长</source>
        <translation>Exam lead</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="142"/>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="143"/>
        <source>监考员</source>
        <translation>Invigilator</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="144"/>
        <source>考评员</source>
        <translation>Assessor</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="145"/>
        <source>内部质量督导员</source>
        <translation>Internal supervisor</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="146"/>
        <source>外部质量督导员</source>
        <translation>External supervisor</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="147"/>
        <source>安全员</source>
        <translation>Safety officer</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="148"/>
        <location filename="../../ui/labels.py" line="349"/>
        <source>考务人员</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="149"/>
        <source>座位</source>
        <translation>Seat</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="151"/>
        <source>突发事件</source>
        <translation>Incident</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="152"/>
        <source>扫码</source>
        <translation>Scan</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="153"/>
        <source>人工</source>
        <translation>Manual</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="154"/>
        <source>考场门贴</source>
        <translation>Door list</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="155"/>
        <source>座位表</source>
        <translation>Seat chart</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="156"/>
        <source>签到表</source>
        <translation>Sign-in sheet</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="157"/>
        <source>考场记录表</source>
        <translation>Room record</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="159"/>
        <source>认定公告</source>
        <translation>Announcement</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="160"/>
        <source>报名与资格审核</source>
        <translation>Applications</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="161"/>
        <source>资格证明材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="162"/>
        <source>考场编排</source>
        <translation>Seat plan</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="163"/>
        <source>考务人员与培训</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="164"/>
        <source>试卷流转</source>
        <translation>Paper custody</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="165"/>
        <source>签到与考场记录</source>
        <translation>Check-in</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="166"/>
        <source>成绩</source>
        <translation>Scores</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="167"/>
        <source>公示与异议</source>
        <translation>Publicity</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="168"/>
        <source>证书与台账</source>
        <translation>Certificates</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="169"/>
        <source>数据上报</source>
        <translation>Upload</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="170"/>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="171"/>
        <source>纸质</source>
        <translation>Paper</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="172"/>
        <source>电子</source>
        <translation>Electronic</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="174"/>
        <source>手动备份</source>
        <translation>Manual</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="175"/>
        <source>启动时</source>
        <translation>On start</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="176"/>
        <source>退出时</source>
        <translation>On exit</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="177"/>
        <source>升级前</source>
        <translation>Before upgrade</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="178"/>
        <source>导入名册前</source>
        <translation>Before roster import</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="179"/>
        <source>导入照片前</source>
        <translation>Before photo import</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="180"/>
        <source>登记考生前</source>
        <translation>Before candidate entry</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="181"/>
        <source>登记报名前</source>
        <translation>Before application entry</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="182"/>
        <source>发证前</source>
        <translation>Before certificate issue</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="183"/>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="184"/>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="185"/>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="186"/>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="187"/>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="188"/>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="189"/>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="191"/>
        <source>五级/初级工</source>
        <translation>Level 5 / Entry-level worker</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="192"/>
        <source>四级/中级工</source>
        <translation>Level 4 / Intermediate worker</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="193"/>
        <source>三级/高级工</source>
        <translation>Level 3 / Senior worker</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="194"/>
        <source>二级/技师</source>
        <translation>Level 2 / Technician</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="195"/>
        <source>一级/高级技师</source>
        <translation>Level 1 / Senior technician</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="197"/>
        <source>全部考场</source>
        <translation>All rooms</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="199"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="206"/>
        <source>第%1考场</source>
        <translation>Room %1</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="207"/>
        <source>第%1考场（%2）</source>
        <translation>Room %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="208"/>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="215"/>
        <source>登记报名</source>
        <translation>Record application</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="216"/>
        <source>导入报名名册</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="217"/>
        <source>建立档案</source>
        <translation>Create archive</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="218"/>
        <source>销毁到期档案</source>
        <translation>Destroy expired archive items</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="219"/>
        <source>导出档案包</source>
        <translation>Export archive package</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="220"/>
        <source>锁定编排</source>
        <translation>Lock arrangement</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="221"/>
        <source>添加考场</source>
        <translation>Add room</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="222"/>
        <source>修改考场</source>
        <translation>Edit room</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="223"/>
        <source>锁定后调整座位</source>
        <translation>Change seat after lock</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="224"/>
        <source>调换座位</source>
        <translation>Move seat</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="225"/>
        <source>编排座位</source>
        <translation>Make seat plan</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="226"/>
        <source>添加考点</source>
        <translation>Add site</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="227"/>
        <source>导入考点</source>
        <translation>Import sites</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="228"/>
        <source>登录失败</source>
        <translation>Login failed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="229"/>
        <source>账户被锁定</source>
        <translation>Account locked</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="230"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="231"/>
        <source>恢复后接续编号</source>
        <translation>Carry numbers forward after restore</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="232"/>
        <source>创建备份</source>
        <translation>Create backup</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="233"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="234"/>
        <source>调整工作日</source>
        <translation>Override working day</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="235"/>
        <source>取消工作日调整</source>
        <translation>Remove working-day override</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="236"/>
        <source>录入节假日安排</source>
        <translation>Enter holiday schedule</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="237"/>
        <source>登记考生</source>
        <translation>Register candidate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="238"/>
        <source>查看完整证件号码</source>
        <translation>Reveal full ID number</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="239"/>
        <source>更新职业目录</source>
        <translation>Update occupation catalogue</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="240"/>
        <source>更正证书</source>
        <translation>Correct certificate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="241"/>
        <source>发证</source>
        <translation>Issue certificates</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="242"/>
        <source>打印证书</source>
        <translation>Print certificates</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="243"/>
        <source>补发证书</source>
        <translation>Reissue certificate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="244"/>
        <source>作废证书</source>
        <translation>Void certificate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="245"/>
        <source>登记缺考</source>
        <translation>Record absences</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="246"/>
        <source>记录缺考</source>
        <translation>Record absence</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="247"/>
        <source>记录突发事件</source>
        <translation>Record incident</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="248"/>
        <source>记录违纪</source>
        <translation>Record misconduct</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="249"/>
        <source>签到</source>
        <translation>Check in</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="250"/>
        <source>更正试卷流转记录</source>
        <translation>Amend custody record</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="251"/>
        <source>登记试卷流转</source>
        <translation>Record custody step</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="252"/>
        <source>指定保管人</source>
        <translation>Appoint key holder</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="253"/>
        <source>打印试卷袋标签</source>
        <translation>Print packet labels</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="254"/>
        <source>导出试卷流转记录</source>
        <translation>Export custody log</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="255"/>
        <source>登记试卷袋</source>
        <translation>Register paper packet</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="256"/>
        <source>资格审核</source>
        <translation>Eligibility decision</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="257"/>
        <source>核查申报条件</source>
        <translation>Check eligibility</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="258"/>
        <source>登记证明材料</source>
        <translation>Record evidence</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="259"/>
        <source>破格审核</source>
        <translation>Exceptional approval</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="260"/>
        <source>登记机构</source>
        <translation>Register institution</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="261"/>
        <source>登记重新备案</source>
        <translation>Record re-filing</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="262"/>
        <source>修改认定范围</source>
        <translation>Change scope</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="263"/>
        <source>修改机构信息</source>
        <translation>Edit institution</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="264"/>
        <source>导出公钥</source>
        <translation>Export public key</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="265"/>
        <source>导出恢复密钥</source>
        <translation>Export recovery key</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="266"/>
        <source>导入恢复密钥</source>
        <translation>Import recovery key</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="267"/>
        <source>更换签名密钥</source>
        <translation>Rotate signing key</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="268"/>
        <source>对应专业与职业</source>
        <translation>Map major to occupation</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="269"/>
        <source>选配阅卷人</source>
        <translation>Assign marker</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="270"/>
        <source>取消阅卷人</source>
        <translation>Unassign marker</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="271"/>
        <source>答复异议</source>
        <translation>Answer objection</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="272"/>
        <source>生成异议答复函</source>
        <translation>Write objection letter</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="273"/>
        <source>登记异议</source>
        <translation>Record objection</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="274"/>
        <source>导入照片</source>
        <translation>Import photos</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="275"/>
        <source>更换照片</source>
        <translation>Replace photo</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="276"/>
        <source>导出公示名单</source>
        <translation>Export publicity list</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="277"/>
        <source>确定成绩</source>
        <translation>Finalise results</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="278"/>
        <source>发布公示</source>
        <translation>Publish results</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="279"/>
        <source>导出监管报告</source>
        <translation>Export oversight report</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="280"/>
        <source>导出终止备案报告</source>
        <translation>Export termination report</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="281"/>
        <source>更改成绩</source>
        <translation>Change score</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="282"/>
        <source>录入成绩</source>
        <translation>Enter scores</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="283"/>
        <source>锁定成绩</source>
        <translation>Lock scores</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="284"/>
        <source>计算认定结果</source>
        <translation>Compute results</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="285"/>
        <source>核定成绩</source>
        <translation>Settle score</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="286"/>
        <source>生成成绩录入表</source>
        <translation>Generate score sheets</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="287"/>
        <source>设置禁止入场时间</source>
        <translation>Set late-entry cutoff</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="288"/>
        <source>校准打印机</source>
        <translation>Calibrate printer</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="289"/>
        <source>取消打印机校准</source>
        <translation>Remove printer calibration</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="290"/>
        <source>生成认定公告</source>
        <translation>Generate announcement</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="291"/>
        <source>截止报名</source>
        <translation>Close registration</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="292"/>
        <source>新建认定批次</source>
        <translation>Create sitting</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="293"/>
        <source>考试结束</source>
        <translation>Mark sitting held</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="294"/>
        <source>开放报名</source>
        <translation>Open registration</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="295"/>
        <source>登记已上报</source>
        <translation>Record sitting reported</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="296"/>
        <source>安排场次</source>
        <translation>Add session</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="297"/>
        <source>登记考务人员</source>
        <translation>Add staff member</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="298"/>
        <source>安排考务人员</source>
        <translation>Assign staff</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="299"/>
        <source>登记考务会</source>
        <translation>Record briefing</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="300"/>
        <source>锁定后调整考务人员</source>
        <translation>Change staff after lock</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="301"/>
        <source>取消安排考务人员</source>
        <translation>Unassign staff</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="302"/>
        <source>修改考务人员</source>
        <translation>Edit staff member</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="303"/>
        <source>修改职业标准参数</source>
        <translation>Override standard parameters</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="304"/>
        <source>恢复职业标准参数</source>
        <translation>Reset standard parameters</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="305"/>
        <source>导出证书台账</source>
        <translation>Export certificate ledger</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="306"/>
        <source>空白证书领用</source>
        <translation>Issue blank certificates</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="307"/>
        <source>空白证书入库</source>
        <translation>Receive blank certificates</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="308"/>
        <source>空白证书印废</source>
        <translation>Spoil blank certificates</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="309"/>
        <source>空白证书盘点</source>
        <translation>Stock-take blank certificates</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="310"/>
        <source>空白证书作废</source>
        <translation>Void blank certificates</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="311"/>
        <source>制发准考证</source>
        <translation>Issue admission tickets</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="312"/>
        <source>打印准考证</source>
        <translation>Print admission tickets</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="313"/>
        <source>补打准考证</source>
        <translation>Reprint admission ticket</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="314"/>
        <source>生成考场文书</source>
        <translation>Generate room documents</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="315"/>
        <source>生成考场记录表</source>
        <translation>Generate room records</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="316"/>
        <source>登记平台确认</source>
        <translation>Record platform acknowledgement</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="317"/>
        <source>生成上报批次</source>
        <translation>Create upload batch</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="318"/>
        <source>登记已上报平台</source>
        <translation>Record uploaded</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="319"/>
        <source>启用或停用用户</source>
        <translation>Activate/deactivate user</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="320"/>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="321"/>
        <source>新建用户</source>
        <translation>Create user</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="322"/>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="323"/>
        <source>修改用户角色</source>
        <translation>Change user roles</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="324"/>
        <source>解锁用户</source>
        <translation>Unlock user</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="327"/>
        <source>报名</source>
        <translation>Application</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="328"/>
        <source>档案</source>
        <translation>Archive item</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="329"/>
        <source>备份</source>
        <translation>Backup</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="330"/>
        <source>日历</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="331"/>
        <source>考生</source>
        <translation>Candidate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="332"/>
        <source>证书</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="333"/>
        <source>场次</source>
        <translation>Session</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="334"/>
        <source>机构</source>
        <translation>Institution</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="335"/>
        <source>保管人</source>
        <translation>Key holder</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="336"/>
        <source>密钥</source>
        <translation>Keys</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="337"/>
        <source>专业</source>
        <translation>Major</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="338"/>
        <source>异议</source>
        <translation>Objection</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="339"/>
        <source>职业</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="340"/>
        <source>试卷袋</source>
        <translation>Paper packet</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="341"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="342"/>
        <source>考场</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="343"/>
        <source>考场记录</source>
        <translation>Room record</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="344"/>
        <source>设置</source>
        <translation>Setting</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="345"/>
        <source>签名密钥</source>
        <translation>Signing key</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="346"/>
        <source>考点</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="347"/>
        <source>认定批次</source>
        <translation>Sitting</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="348"/>
        <source>考务安排</source>
        <translation>Staff assignment</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="350"/>
        <source>证书台账</source>
        <translation>Certificate ledger</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="351"/>
        <source>上报批次</source>
        <translation>Upload batch</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="352"/>
        <source>用户</source>
        <translation>User</translation>
    </message>
</context>
<context>
    <name>LetterDialog</name>
    <message>
        <location filename="../../ui/pages/publicity.py" line="218"/>
        <source>异议答复书</source>
        <translation>Objection reply letter</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="218"/>
        <source>生成并预览</source>
        <translation>Generate and preview</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="221"/>
        <source>签发人 *</source>
        <translation>Signed by *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="228"/>
        <source>请填写签发人。</source>
        <translation>Enter who signs the letter.</translation>
    </message>
</context>
<context>
    <name>ListDialog</name>
    <message>
        <location filename="../../ui/pages/registration.py" line="569"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <location filename="../../ui/login.py" line="231"/>
        <source>已锁定 — 职业技能等级认定考务管理系统</source>
        <translation>Locked — Vocational Skill Certification Exam Office</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="231"/>
        <source>屏幕已锁定</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="234"/>
        <source>超过 15 分钟没有操作，为保护考生信息，程序已锁定。请输入 %1（%2）的密码解锁。</source>
        <translation>No activity for 15 minutes: the program was locked to protect candidates&apos; data. Enter the password of %1 (%2) to unlock.</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="236"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="237"/>
        <location filename="../../ui/login.py" line="260"/>
        <location filename="../../ui/login.py" line="269"/>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="239"/>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="244"/>
        <source>数据库：%1</source>
        <translation>Database: %1</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="257"/>
        <source>请输入密码。</source>
        <translation>Enter the password.</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="260"/>
        <source>正在验证……</source>
        <translation>Verifying…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login.py" line="135"/>
        <source>登录 — 职业技能等级认定考务管理系统</source>
        <translation>Log in — Vocational Skill Certification Exam Office</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="135"/>
        <source>用户登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="137"/>
        <source>请使用系统管理员为您开设的账户登录。连续输错 5 次密码，账户将被锁定 15 分钟。</source>
        <translation>Log in with the account your administrator set up. After 5 wrong passwords in a row the account is locked for 15 minutes.</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="138"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="138"/>
        <source>例如：zhangsan</source>
        <translation>e.g. zhangsan</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="139"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="141"/>
        <location filename="../../ui/login.py" line="158"/>
        <location filename="../../ui/login.py" line="164"/>
        <location filename="../../ui/login.py" line="169"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="144"/>
        <source>退出</source>
        <translation>Exit</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="147"/>
        <source>数据库：%1</source>
        <translation>Database: %1</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="155"/>
        <source>请输入用户名和密码。</source>
        <translation>Enter your user name and password.</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="158"/>
        <source>正在登录……</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="136"/>
        <source>职业技能等级认定考务管理系统</source>
        <translation>Vocational Skill Certification Exam Office</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="173"/>
        <source>数据库：%1</source>
        <translation>Database: %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="272"/>
        <source>无法读取认定批次</source>
        <translation>Cannot read sittings</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="278"/>
        <source>无法读取认定批次：%1</source>
        <translation>Cannot read sittings: %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="287"/>
        <source>无认定批次</source>
        <translation>No sitting</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="313"/>
        <source>批次状态</source>
        <translation>Sitting state</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="323"/>
        <source>尚未登记机构信息</source>
        <translation>Institution not registered</translation>
    </message>
</context>
<context>
    <name>MarkerDialog</name>
    <message>
        <location filename="../../ui/pages/scores.py" line="177"/>
        <source>安排阅卷人</source>
        <translation>Assign marker</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="177"/>
        <source>选配</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="183"/>
        <source>%1（考生 %2 人）</source>
        <translation>%1 (%2 candidates)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="191"/>
        <source>场次 *</source>
        <translation>Session *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="192"/>
        <source>考场 *</source>
        <translation>Room *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="193"/>
        <source>考评员 *</source>
        <translation>Assessor *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="197"/>
        <source>阅卷人须是考务人员名册中登记的考评员：在聘、聘用有效期覆盖考试日、聘用范围含所阅考生的职业和等级（002 第二十五条、第三十八条）。不在名册中的，请先在“考务人员”页登记。</source>
        <translation>A marker must be an assessor in the staff register: employed, appointed for the exam day and for the candidates&apos; occupation and level (002 §25, §38). Register anyone missing on the &quot;Staff&quot; page first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="228"/>
        <source>本场次全部考场</source>
        <translation>All rooms of the session</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="252"/>
        <source>（不符合条件）</source>
        <translation> (not qualified)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="260"/>
        <source>名册中还没有考评员：请先在“考务人员”页登记考评员。</source>
        <translation>No assessors in the register yet: register them on the &quot;Staff&quot; page first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="267"/>
        <source>符合条件。</source>
        <translation>Qualified.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="286"/>
        <source>请选择场次和考评员。</source>
        <translation>Choose a session and an assessor.</translation>
    </message>
</context>
<context>
    <name>MoveDialog</name>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="254"/>
        <source>调整座位</source>
        <translation>Move seat</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="254"/>
        <source>调整</source>
        <translation>Move</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="256"/>
        <source>考生</source>
        <translation>Candidate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="258"/>
        <source>现座位</source>
        <translation>Current seat</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="260"/>
        <source>%1 第 %2 排第 %3 列（%4 号）</source>
        <translation>%1 row %2, column %3 (seat %4)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="277"/>
        <source>目标考场 *</source>
        <translation>To room *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="278"/>
        <source>排 *</source>
        <translation>Row *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="279"/>
        <source>列 *</source>
        <translation>Column *</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../ui/navigation.py" line="43"/>
        <source>机构</source>
        <translation>Institution</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="44"/>
        <source>备案信息、统一社会信用代码、证书编号规则、备案有效期和认定范围。</source>
        <translation>Filing, unified social credit code, certificate numbering, filing validity and scope.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="46"/>
        <source>认定批次</source>
        <translation>Sittings</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="47"/>
        <source>创建认定批次，发布认定公告（时间、职业、等级、条件和收费），推进批次状态。</source>
        <translation>Create sittings, publish the announcement (time, occupations, levels, conditions and fees), advance the sitting&apos;s state.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="49"/>
        <source>报名审核</source>
        <translation>Registration</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="50"/>
        <source>导入报名名册，核对身份证件，按申报条件审核资格并保存证明材料。</source>
        <translation>Import the registration roster, check ID documents, review eligibility against the conditions and keep the evidence.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="52"/>
        <source>考场编排</source>
        <translation>Seat plans</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="53"/>
        <source>登记考点与考场（含视频监控），按场次编排座位，锁定编排。</source>
        <translation>Register exam sites and rooms (with video surveillance), assign seats per session, lock the arrangement.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="55"/>
        <source>考务人员</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="56"/>
        <source>确定主考、监考员、考评员和质量督导员，核对配比与资格，记录考务会。</source>
        <translation>Fix the chief examiner, invigilators, assessors and supervisors; check ratios and qualifications; record the briefing.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="58"/>
        <source>试卷流转</source>
        <translation>Paper custody</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="59"/>
        <source>试卷的印刷、封装、保管、运送、启封和回收，每一步都留痕并链式校验。</source>
        <translation>Printing, sealing, storing, transporting, opening and collecting papers; every step is recorded and hash-chained.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="61"/>
        <source>准考证与签到</source>
        <translation>Tickets &amp; check-in</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="62"/>
        <source>打印带签名二维码的准考证；考试当天扫码签到，登记缺考、违纪和突发事件。</source>
        <translation>Print admission tickets with signed QR codes; scan at check-in on the exam day, record absences, misconduct and incidents.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="64"/>
        <source>成绩</source>
        <translation>Scores</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="65"/>
        <source>双人录入各科成绩，核对差异，计算是否合格。</source>
        <translation>Enter every score twice by two clerks, reconcile differences, compute pass or fail.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="67"/>
        <source>公示</source>
        <translation>Publicity</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="68"/>
        <source>成绩公示不少于 5 个工作日，登记和答复异议与复核。</source>
        <translation>Publish results for at least 5 working days; record and answer objections and re-checks.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="70"/>
        <source>证书</source>
        <translation>Certificates</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="71"/>
        <source>生成证书编号，套打空白证书，管理空白证书台账，补发与更正。</source>
        <translation>Generate certificate numbers, print on blank certificates, keep the blank stock ledger, reissue and correct.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="73"/>
        <source>数据上报</source>
        <translation>Data upload</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="74"/>
        <source>按平台模板导出成绩和证书数据，签名打包，30 个工作日内上报并登记回执。</source>
        <translation>Export results and certificates by the platform template, sign the batch, upload within 30 working days and record the receipt.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="76"/>
        <source>档案</source>
        <translation>Archive</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="77"/>
        <source>整理认定全过程资料归档（纸质保存 3 年、电子保存 5 年），导出档案包、监管统计报表和终止备案报告。</source>
        <translation>Archive the records of the whole certification (paper kept 3 years, electronic 5 years); export archive packages, supervision statistics and the filing termination report.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="79"/>
        <source>审计</source>
        <translation>Audit</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="80"/>
        <source>查询每一次操作的审计记录，校验审计链是否被篡改。</source>
        <translation>Search the audit trail of every action; verify that the audit chain was not tampered with.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="82"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="83"/>
        <source>数据库与备份、密钥、节假日、打印机校准、界面语言、用户与角色。</source>
        <translation>Database and backups, keys, holidays, printer calibration, language, users and roles.</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="122"/>
        <source>功能导航</source>
        <translation>Navigation</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="131"/>
        <source>认定流程</source>
        <translation>Workflow</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="131"/>
        <source>系统</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="140"/>
        <source>（本阶段尚未开发）</source>
        <translation>(stage not built yet)</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="144"/>
        <source>版本 %1</source>
        <translation>Version %1</translation>
    </message>
</context>
<context>
    <name>ObjectionDialog</name>
    <message>
        <location filename="../../ui/pages/publicity.py" line="116"/>
        <source>登记异议</source>
        <translation>Record objection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="116"/>
        <source>登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="119"/>
        <source>异议人姓名</source>
        <translation>Name of the objector</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="122"/>
        <source>（不针对具体考生）</source>
        <translation>(no particular candidate)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="126"/>
        <source>例如：理论知识考试成绩偏低，申请复核</source>
        <translation>e.g. theory exam score seems too low; requests a re-check</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="128"/>
        <source>异议人 *</source>
        <translation>Objector *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="129"/>
        <source>收到日期 *</source>
        <translation>Received on *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="130"/>
        <source>涉及考生</source>
        <translation>Candidate concerned</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="131"/>
        <source>异议内容 *</source>
        <translation>Objection *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="132"/>
        <source>异议须在公示期内提出，自收到之日起 5 个工作日内答复（002 第二十五条）。</source>
        <translation>Objections must be raised within the publicity period and answered within 5 working days of receipt (002 §25).</translation>
    </message>
</context>
<context>
    <name>OpenRegistrationDialog</name>
    <message>
        <location filename="../../ui/pages/sittings.py" line="397"/>
        <source>发布公告并开放报名 — %1</source>
        <translation>Publish announcement and open registration — %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="397"/>
        <source>开放报名</source>
        <translation>Open registration</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="404"/>
        <source>公告中的其他说明，例如报名地点、需携带的材料、缴费方式……</source>
        <translation>Other notes for the announcement, e.g. where to apply, documents to bring, how to pay…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="406"/>
        <source>报名开始</source>
        <translation>Registration opens</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="407"/>
        <source>报名截止</source>
        <translation>Registration closes</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="408"/>
        <source>公告说明</source>
        <translation>Announcement notes</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="409"/>
        <source>公告写明认定时间、职业、等级、申报条件和收费标准（002 第十五条），由本批次的场次和开考等级生成。报名须在考试开始前截止。</source>
        <translation>The announcement states the time, occupations, levels, eligibility conditions and fees (002 §15); it is generated from this sitting&apos;s sessions and offered levels. Registration must close before the exam starts.</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <location filename="../../ui/pages/registration.py" line="322"/>
        <source>破格通过</source>
        <translation>Approve by exception</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="327"/>
        <source>未满足的申报条件：%1</source>
        <translation>Eligibility conditions not met: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="327"/>
        <source>（无核查说明）</source>
        <translation>(no check notes)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="330"/>
        <source>写明破格的依据，例如：单位出具了十年工作证明，原件已核验</source>
        <translation>State the grounds for the exception, e.g. the employer certified ten years of work; original checked</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="334"/>
        <source>报名人员</source>
        <translation>Applicants</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="338"/>
        <source>书面理由 *</source>
        <translation>Written reason *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="341"/>
        <source>只有主考/质量督导可以破格通过；理由和核查结论一并记入审计日志（002 第十七条）。</source>
        <translation>Only the chief examiner / supervisor can approve by exception; the reason and the check result are written to the audit log (002 §17).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="352"/>
        <source>已写 %1 字，至少 %2 字。</source>
        <translation>%1 characters written; at least %2.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="358"/>
        <source>破格通过须写明不少于 %1 个字的书面理由。</source>
        <translation>Approval by exception needs a written reason of at least %1 characters.</translation>
    </message>
</context>
<context>
    <name>PacketDialog</name>
    <message>
        <location filename="../../ui/pages/custody.py" line="110"/>
        <source>登记试卷袋</source>
        <translation>Register paper packet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="110"/>
        <source>登记</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="113"/>
        <source>例如 P-A201-T</source>
        <translation>e.g. P-A201-T</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="115"/>
        <source>题库下发的试卷代码，不得改动</source>
        <translation>The paper code as issued by the item bank; do not change it</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="117"/>
        <source>例如 A 卷</source>
        <translation>e.g. paper A</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="121"/>
        <source> 份</source>
        <translation> copies</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="123"/>
        <source>（不指定场次）</source>
        <translation>(no session)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="125"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="127"/>
        <source>试卷袋编号 *</source>
        <translation>Packet code *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="128"/>
        <source>试卷代码 *</source>
        <translation>Paper code *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="129"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="130"/>
        <source>份数 *</source>
        <translation>Copies *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="131"/>
        <source>场次</source>
        <translation>Session</translation>
    </message>
    <message>
        <location filename="../../ui/pages/custody.py" line="132"/>
        <source>指定场次后，启封时间早于开考前规定时间、考后未按时归还都会被标为异常。</source>
        <translation>With a session set, opening earlier than allowed before the start, or not returning the packet on time after the exam, is flagged as an anomaly.</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <location filename="../../ui/pages/base.py" line="31"/>
        <source>尚无认定批次：请先在“认定批次”页面创建并选择认定批次。</source>
        <translation>No sitting: create and choose a sitting on the &quot;Sittings&quot; page first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/base.py" line="35"/>
        <source>认定批次当前为“%1”：报名截止后才能编排考场和安排考务人员。</source>
        <translation>The sitting is &quot;%1&quot;: rooms and staff can be arranged once registration is closed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/base.py" line="40"/>
        <source>编排尚未锁定（%1）：请直接调整，无需主考/质量督导批准。</source>
        <translation>The plan is not locked yet (%1): change it directly, without the chief examiner&apos;s / supervisor&apos;s approval.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/base.py" line="41"/>
        <source>认定批次当前为“%1”：考试已举行，编排和考务人员不能再调整（002 第二十一条）。</source>
        <translation>The sitting is &quot;%1&quot;: the exam has been held; seats and staff can no longer be changed (002 §21).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/base.py" line="47"/>
        <source>编排已锁定（%1）：调整须由主考/质量督导写明理由，用“…（锁定后）”操作（002 第二十一条）。</source>
        <translation>The plan is locked (%1): changes need a reason from the chief examiner / supervisor, through the &quot;… (locked)&quot; actions (002 §21).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/base.py" line="50"/>
        <source>认定批次当前为“%1”：考试已举行，编排和考务人员不能再改动。</source>
        <translation>The sitting is &quot;%1&quot;: the exam has been held; seats and staff can no longer be changed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/base.py" line="95"/>
        <location filename="../../ui/pages/base.py" line="132"/>
        <source>下一步的阻碍</source>
        <translation>What blocks the next step</translation>
    </message>
    <message>
        <location filename="../../ui/pages/base.py" line="127"/>
        <source>认定批次 %1（%2）推进到下一步的阻碍</source>
        <translation>What blocks sitting %1 (%2) from its next step</translation>
    </message>
    <message>
        <location filename="../../ui/pages/base.py" line="134"/>
        <source>没有阻碍下一步的问题。</source>
        <translation>Nothing blocks the next step.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/base.py" line="144"/>
        <source>另有 %1 项，请在相应页面查看。</source>
        <translation>%1 more; see the pages concerned.</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <location filename="../../ui/pdf_preview.py" line="79"/>
        <source>预览 — %1</source>
        <translation>Preview — %1</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="89"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="90"/>
        <source>打印（Ctrl+P）</source>
        <translation>Print (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="91"/>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="92"/>
        <source>另存为（Ctrl+S）</source>
        <translation>Save as (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="95"/>
        <source>适合宽度</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="96"/>
        <source>整页</source>
        <translation>Whole page</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="102"/>
        <source>页码</source>
        <translation>Page</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="132"/>
        <source>无法打开文件：%1</source>
        <translation>Cannot open file: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="135"/>
        <source>/ 共 %1 页</source>
        <translation>/ %1 pages</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="147"/>
        <source>打印 %1</source>
        <translation>Print %1</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="162"/>
        <source>另存为</source>
        <translation>Save as</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="163"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/pdf_preview.py" line="173"/>
        <source>无法保存到 %1：%2。请换一个文件夹或检查磁盘空间。</source>
        <translation>Cannot save to %1: %2. Choose another folder or check the free disk space.</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../../ui/pages/placeholder.py" line="17"/>
        <source>本阶段尚未开发</source>
        <translation>This stage is not built yet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/placeholder.py" line="19"/>
        <source>“%1”功能将在后续版本中提供。届时本页面将用于：%2</source>
        <translation>&quot;%1&quot; will be available in a later version. This page will then be used to: %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/placeholder.py" line="23"/>
        <source>在此之前，请按现行纸质流程办理本阶段的工作；已登记的机构信息、用户和审计记录不受影响。</source>
        <translation>Until then, handle this stage with the current paper procedure; the institution data, users and audit trail already recorded are not affected.</translation>
    </message>
</context>
<context>
    <name>PublicityPage</name>
    <message>
        <location filename="../../ui/pages/publicity.py" line="244"/>
        <source>生成公示名单…</source>
        <translation>Generate publicity list…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="245"/>
        <source>公示名单（PDF 和 Excel）：证件号码遮挡，不含电话和照片</source>
        <translation>Publicity list (PDF and Excel): ID numbers masked, no phone numbers or photos</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="263"/>
        <source>成绩公示</source>
        <translation>Result publicity</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="274"/>
        <source>公示开始日期</source>
        <translation>Publicity starts on</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="278"/>
        <location filename="../../ui/pages/publicity.py" line="393"/>
        <location filename="../../ui/pages/publicity.py" line="519"/>
        <source>发布公示</source>
        <translation>Publish results</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="285"/>
        <source>公示不少于 5 个工作日（发布当日为工作日时计为第 1 日），按节假日安排计算（002 第二十五条）。</source>
        <translation>Publicity lasts at least 5 working days (the day of publication counts as day 1 if it is a working day), by the holiday schedule (002 §25).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="292"/>
        <source>确定成绩、发证前检查</source>
        <translation>Finalise results; checks before issuing certificates</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="300"/>
        <location filename="../../ui/pages/publicity.py" line="565"/>
        <location filename="../../ui/pages/publicity.py" line="571"/>
        <source>确定成绩</source>
        <translation>Finalise results</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="301"/>
        <location filename="../../ui/pages/publicity.py" line="474"/>
        <source>公示期满、异议均已答复后确定成绩，之后可以发证</source>
        <translation>Finalise the results once the publicity period is over and every objection is answered; certificates can then be issued</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="257"/>
        <location filename="../../ui/pages/publicity.py" line="309"/>
        <source>异议与复核</source>
        <translation>Objections and re-checks</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="310"/>
        <source>登记异议…</source>
        <translation>Record objection…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="311"/>
        <source>答复…</source>
        <translation>Answer…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="312"/>
        <source>答复书…</source>
        <translation>Reply letter…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="326"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="327"/>
        <source>异议人</source>
        <translation>Objector</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="328"/>
        <source>收到日期</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="329"/>
        <source>答复期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="331"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="333"/>
        <source>答复日期</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="334"/>
        <source>异议内容</source>
        <translation>Objection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="335"/>
        <source>答复结论</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="337"/>
        <source>没有异议。</source>
        <translation>No objections.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="338"/>
        <source>按异议人、内容、状态筛选（Ctrl+F）</source>
        <translation>Filter by objector, content, state (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="258"/>
        <location filename="../../ui/pages/publicity.py" line="348"/>
        <source>成绩结果</source>
        <translation>Results</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="351"/>
        <source>报名号</source>
        <translation>Appl.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="352"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="353"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="354"/>
        <source>职业</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="355"/>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="360"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="362"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="362"/>
        <source>成绩已更正（见审计记录）</source>
        <translation>Score corrected (see the audit log)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="366"/>
        <source>尚无成绩结果：在“成绩”页面锁定各部分成绩并判定结果后显示。</source>
        <translation>No results yet: they appear once every part is locked and the results are decided on the Scores page.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="367"/>
        <source>按姓名、证件号码、职业、结果筛选（Ctrl+F）</source>
        <translation>Filter by name, ID number, occupation, result (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="376"/>
        <source>读取公示</source>
        <translation>Read publicity</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="382"/>
        <location filename="../../ui/pages/publicity.py" line="424"/>
        <location filename="../../ui/pages/publicity.py" line="484"/>
        <source>尚无认定批次。</source>
        <translation>No sittings yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="384"/>
        <source>本批次成绩结果尚未判定：请先在“成绩”页面锁定各部分成绩并判定结果，再发布公示。</source>
        <translation>The results of this sitting are not decided yet: lock the scores of every part and decide the results on the &quot;Scores&quot; page, then publish them.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="389"/>
        <source>尚未发布公示。</source>
        <translation>Results not published yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="393"/>
        <source>重新发布公示</source>
        <translation>Publish results again</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="396"/>
        <source>按公示开始日期发布（或重新发布）成绩公示，公示期按工作日计算</source>
        <translation>Publish (or republish) the results from the start date; the period counts working days</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="405"/>
        <source>%1 件异议已超过答复期限仍未答复！</source>
        <translation>%1 objections are past their due date and still unanswered!</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="407"/>
        <source>%1 件异议待答复，最早一件的答复期限至 %2（含当日）。</source>
        <translation>%1 objections await an answer; the earliest is due by %2 (that day included).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="412"/>
        <source>成绩已确定，不能再登记异议：公示期内收到的异议须在确定成绩前登记并答复。</source>
        <translation>Results are final: no more objections. Objections received in the publicity period must be recorded and answered before results are made final.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="414"/>
        <source>尚未发布公示：异议在公示期内登记。</source>
        <translation>Results not yet published: objections are recorded during the publicity period.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="428"/>
        <source>成绩已确定（%1），不能再发布公示。</source>
        <translation>Results are final (%1); they can no longer be published.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="429"/>
        <source>本批次成绩结果尚未判定（%1）：请先在“成绩”页面判定结果。</source>
        <translation>Results not yet decided (%1): decide them on the Scores page first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="432"/>
        <source>第 %1 次公示：%2 至 %3</source>
        <translation>Publicity #%1: %2 to %3</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="435"/>
        <source>（尚未开始）</source>
        <translation> (not started yet)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="437"/>
        <source>（公示中）</source>
        <translation> (running)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="439"/>
        <source>（已期满）</source>
        <translation> (ended)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="441"/>
        <source>公示期按暂定日历计算：所跨年份的节假日安排尚未录入（设置 → 节假日），录入后请重新确认公示期。</source>
        <translation>The publicity period uses a provisional calendar: the holiday schedule of the years it spans is not entered yet (Settings → Holidays); confirm the period again once it is.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="452"/>
        <source>成绩已确定，可以发证。</source>
        <translation>Results are final; certificates can be issued.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="454"/>
        <source>成绩已确定，证书已发放（见“证书”页面）。</source>
        <translation>Results are final and certificates have been issued (see the Certificates page).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="456"/>
        <source>成绩已确定，证书已发放，证书数据已上报。</source>
        <translation>Results are final, certificates issued and their data reported.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="458"/>
        <source>成绩已确定，证书已发放；本批次已归档，公示和异议记录只能查看。</source>
        <translation>Results are final and certificates issued; the sitting is archived, so publicity and objection records are read-only.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="460"/>
        <source>公示期已满、异议均已答复：可以确定成绩。</source>
        <translation>The publicity period is over and every objection is answered: the results can be finalised.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="468"/>
        <source>成绩已确定（%1）。</source>
        <translation>Results are final (%1).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="470"/>
        <source>只能在成绩公示阶段确定成绩：请先发布公示。</source>
        <translation>Results can only be made final during publicity: publish the results first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="472"/>
        <source>还不能确定成绩：见上方所列问题。</source>
        <translation>Results cannot be made final yet: see the problems above.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="486"/>
        <source>认定批次当前为“%1”：只能在成绩公示阶段答复异议（002 第二十五条）。</source>
        <translation>The sitting is &quot;%1&quot;: objections are answered only while results are publicised (002 §25).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="491"/>
        <source>请先选择一件尚未答复的异议。</source>
        <translation>Select an unanswered objection first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="493"/>
        <source>生成所选异议的答复书（PDF）</source>
        <translation>Write the answer letter for the selected objection (PDF)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="493"/>
        <source>请先选择一件已答复的异议。</source>
        <translation>Select an answered objection first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="513"/>
        <source>已发布第 %1 次公示：%2 至 %3。</source>
        <translation>Published results (publicity #%1): %2 to %3.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="516"/>
        <source>公示期为暂定（日历未覆盖），请录入节假日安排后确认。</source>
        <translation>The publicity period is provisional (calendar not covered); enter the holiday schedule and confirm it.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="529"/>
        <source>生成公示名单</source>
        <translation>Generate publicity list</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="530"/>
        <source>公示名单已生成；Excel 版保存在 %1。</source>
        <translation>Publicity list generated; the Excel version is saved at %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="531"/>
        <source>成绩公示名单</source>
        <translation>Result publicity list</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="538"/>
        <source>异议已登记；请在答复期限内复核并答复。</source>
        <translation>Objection recorded; re-check and answer it before it is due.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="547"/>
        <source>异议已答复，成绩已更正并记入审计日志。成绩有变更：须重新发布公示名单（点击“重新发布公示”）。</source>
        <translation>Objection answered; the score was corrected and written to the audit log. Scores changed: the results must be published again (click &quot;Publish results again&quot;).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="550"/>
        <source>异议已答复，成绩未变更。</source>
        <translation>Objection answered; scores unchanged.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="560"/>
        <source>异议答复书</source>
        <translation>Objection reply letter</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="565"/>
        <source>确定后成绩不再公示，可以发放证书。</source>
        <translation>Once finalised, the results are no longer on publicity and certificates can be issued.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/publicity.py" line="572"/>
        <source>成绩已确定，可以在“证书”页面发证。</source>
        <translation>Results finalised; issue certificates on the &quot;Certificates&quot; page.</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../ui/pages/registration.py" line="287"/>
        <source>审核不通过</source>
        <translation>Reject applications</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="287"/>
        <source>不予通过</source>
        <translation>Reject</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="290"/>
        <source> 等 %1 人</source>
        <translation> and others (%1 in all)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="295"/>
        <source>例如：从事本职业年限不足，未提供工作年限证明</source>
        <translation>e.g. too few years in the occupation; no proof of employment</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="297"/>
        <source>报名人员</source>
        <translation>Applicants</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="298"/>
        <source>不通过理由 *</source>
        <translation>Reason for rejection *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="305"/>
        <source>不予通过须写明理由。</source>
        <translation>A rejection needs a reason.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="78"/>
        <source>补发证书</source>
        <translation>Reissue certificate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="78"/>
        <source>作废证书</source>
        <translation>Void certificate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="83"/>
        <source>证书</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="85"/>
        <source>例如：持证人遗失，本人申请补发</source>
        <translation>e.g. lost by the holder, who applied for a reissue</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="86"/>
        <source>例如：打印错误</source>
        <translation>e.g. misprint</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="88"/>
        <source>理由 *</source>
        <translation>Reason *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="91"/>
        <source>发证日期</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="92"/>
        <source>补发的证书使用新编号，原证书标记为已替换（002 第二十九条）。</source>
        <translation>A reissued certificate gets a new number; the original is marked replaced (002 §29).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="93"/>
        <source>作废的证书编号不再使用。</source>
        <translation>The number of a voided certificate is not used again.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="103"/>
        <source>补发须写明持证人的申请理由（如：遗失）。</source>
        <translation>A reissue needs the holder&apos;s reason (e.g. lost).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/certificates.py" line="104"/>
        <source>作废证书须写明理由。</source>
        <translation>Voiding a certificate needs a reason.</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <location filename="../../ui/pages/uploads.py" line="80"/>
        <source>登记已上报</source>
        <translation>Record upload</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="80"/>
        <source>登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="82"/>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="84"/>
        <source>国家平台给出的回执编号</source>
        <translation>Receipt number given by the national platform</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="86"/>
        <source>回执编号 *</source>
        <translation>Receipt number *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="87"/>
        <source>上报日期 *</source>
        <translation>Uploaded on *</translation>
    </message>
</context>
<context>
    <name>RegistrationPage</name>
    <message>
        <location filename="../../ui/pages/registration.py" line="594"/>
        <source>登记报名…</source>
        <translation>Record application…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="595"/>
        <source>导入报名名册…</source>
        <translation>Import roster…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="596"/>
        <source>下载名册模板…</source>
        <translation>Download template…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="597"/>
        <location filename="../../ui/pages/registration.py" line="912"/>
        <source>导入照片</source>
        <translation>Import photos</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="599"/>
        <source>从文件夹导入…</source>
        <translation>From a folder…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="600"/>
        <source>从 ZIP 压缩包导入…</source>
        <translation>From a ZIP archive…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="602"/>
        <location filename="../../ui/pages/registration.py" line="726"/>
        <source>照片文件以考生的证件号码命名，例如 22010219900307123X.jpg</source>
        <translation>Photo files are named by the candidate&apos;s ID number, e.g. 22010219900307123X.jpg</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="613"/>
        <source>正在读取报名……</source>
        <translation>Reading applications…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="619"/>
        <source>报名与资格审核</source>
        <translation>Applications and eligibility review</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="620"/>
        <location filename="../../ui/pages/registration.py" line="942"/>
        <source>按申报条件核查</source>
        <translation>Check eligibility</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="621"/>
        <location filename="../../ui/pages/registration.py" line="728"/>
        <source>按国家职业标准的申报条件核查所有尚未作出决定的报名（002 第十七条）</source>
        <translation>Check every undecided application against the eligibility conditions of the national occupational standard (002 §17)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="643"/>
        <source>仅毕业年度学生</source>
        <translation>Graduating students only</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="644"/>
        <source>高校优先组织毕业年度学生参加认定（003）</source>
        <translation>Universities give priority to graduating students (003)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="649"/>
        <location filename="../../ui/pages/registration.py" line="931"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="650"/>
        <location filename="../../ui/pages/registration.py" line="932"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="651"/>
        <source>职业（工种）</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="652"/>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="653"/>
        <source>资格核查</source>
        <translation>Eligibility</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="655"/>
        <source>核查说明</source>
        <translation>Check notes</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="656"/>
        <source>审核结论</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="657"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="659"/>
        <source>尚无报名。</source>
        <translation>No applications yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="660"/>
        <source>按姓名、证件号码、职业、等级、结论筛选（Ctrl+F）</source>
        <translation>Filter by name, ID number, occupation, level, decision (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="664"/>
        <source>显示</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="670"/>
        <location filename="../../ui/pages/registration.py" line="971"/>
        <source>审核通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="671"/>
        <source>不予通过…</source>
        <translation>Reject…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="672"/>
        <source>破格通过…</source>
        <translation>Approve by exception…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="673"/>
        <location filename="../../ui/pages/registration.py" line="808"/>
        <source>对未满足申报条件的报名破格通过：须主考填写书面理由</source>
        <translation>Approve an application that does not meet the eligibility conditions: the chief examiner must give a written reason</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="674"/>
        <source>附证明材料…</source>
        <translation>Attach evidence…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="701"/>
        <source>读取报名</source>
        <translation>Read applications</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="710"/>
        <source>尚无认定批次。请先在“认定批次”页面创建批次、安排场次并开放报名。</source>
        <translation>No sittings yet. On the &quot;Sittings&quot; page, create a sitting, schedule its sessions and open registration first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="712"/>
        <source>认定批次 %1 尚未开放报名：请在“认定批次”页面发布公告并开放报名。</source>
        <translation>Sitting %1 is not open for registration: publish the announcement and open registration on the &quot;Sittings&quot; page.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="715"/>
        <source>认定批次 %1 %2：不能再登记或导入报名，可以继续资格审核。</source>
        <translation>Sitting %1 %2: applications can no longer be recorded or imported; eligibility review can continue.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="718"/>
        <source>认定批次 %1 %2：考场编排已锁定，报名和资格审核结果只能查看。</source>
        <translation>Sitting %1 is %2: the arrangement is locked; applications and review decisions are read-only.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="721"/>
        <source>认定批次 %1 报名中。</source>
        <translation>Sitting %1 is open for registration.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="724"/>
        <source>只能在报名中时登记报名。</source>
        <translation>Applications can only be recorded while registration is open.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="743"/>
        <source>毕业年度学生</source>
        <translation>graduating students</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="743"/>
        <source>报名</source>
        <translation>applications</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="745"/>
        <source>共 %1 份%2：待核查 %3，符合 %4，不符合 %5；审核通过 %6（其中破格 %7），不通过 %8，待审核 %9。</source>
        <translation>%1 %2: %3 to check, %4 eligible, %5 not eligible; %6 approved (%7 by exception), %8 rejected, %9 undecided.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="751"/>
        <source>%1 名考生没有照片…</source>
        <translation>%1 candidates without a photo…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="758"/>
        <location filename="../../ui/pages/registration.py" line="770"/>
        <location filename="../../ui/pages/registration.py" line="783"/>
        <location filename="../../ui/pages/registration.py" line="813"/>
        <source>尚无认定批次。</source>
        <translation>No sittings yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="760"/>
        <source>本批次尚无报名。点击“导入报名名册…”或“登记报名…”。</source>
        <translation>No applications in this sitting yet. Click &quot;Import roster…&quot; or &quot;Record application…&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="729"/>
        <location filename="../../ui/pages/registration.py" line="761"/>
        <source>本批次尚无报名。</source>
        <translation>No applications in this sitting yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="763"/>
        <source>没有符合筛选条件的报名。</source>
        <translation>No applications match the filter.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="773"/>
        <source>认定批次已归档：照片是档案记录的一部分，不能再导入或更换（002 第三十六条）。</source>
        <translation>Sitting archived: photos are part of the archive and can no longer be imported or replaced (002 §36).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="775"/>
        <source>准考证已发放，照片已印在准考证和签到表上，不能直接更换（002 第二十条）；确需更换的，须由主考/质量督导批准并写明理由。</source>
        <translation>Tickets have been issued and the photos are printed on the tickets and sign-in sheets, so they cannot simply be replaced (002 §20); a replacement needs a chief examiner&apos;s or quality supervisor&apos;s approval with a written reason.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="787"/>
        <source>尚未开放报名：报名开放后才能审核。</source>
        <translation>Registration is not open yet: review starts once registration opens.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="788"/>
        <source>认定批次当前为“%1”：资格审核在报名期间和报名截止后、锁定考场编排前进行。</source>
        <translation>The sitting is &quot;%1&quot;: eligibility review happens during registration and after it closes, before the arrangement is locked.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="803"/>
        <source>请先选择符合申报条件、尚未通过的报名（可多选）。</source>
        <translation>Select eligible applications not yet approved first (several allowed).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="805"/>
        <source>请先选择已核查的报名（可多选）。</source>
        <translation>Select checked applications first (several allowed).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="809"/>
        <source>请先选择一份不符合申报条件的报名。</source>
        <translation>Select an ineligible application first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="815"/>
        <source>认定批次已归档：档案目录已确定，不能再补充证明材料（002 第三十四条）。</source>
        <translation>Sitting archived: the archive index is fixed, so no more evidence can be added (002 §34).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="817"/>
        <source>为所选报名附上学历证书、工作证明等证明材料</source>
        <translation>Attach evidence (diploma, proof of employment…) to the selected application</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="818"/>
        <source>请先选择一份报名。</source>
        <translation>Select an application first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="819"/>
        <source>已选 %1 份</source>
        <translation>%1 selected</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="820"/>
        <source>选择报名后审核；可按住 Ctrl 或 Shift 多选。</source>
        <translation>Select applications to review them; hold Ctrl or Shift to select several.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="854"/>
        <source>已登记报名。</source>
        <translation>Application recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="871"/>
        <source>名册导入完成：共 %1 行，导入 %2 人，未导入 %3 行。</source>
        <translation>Roster imported: %1 rows, %2 candidates imported, %3 rows not imported.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="874"/>
        <source>错误说明已保存到 %1。</source>
        <translation>The list of errors is saved at %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="880"/>
        <source>保存报名名册模板</source>
        <translation>Save roster template</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="882"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="897"/>
        <source>生成名册模板</source>
        <translation>Generate roster template</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="898"/>
        <source>名册模板已保存到 %1。</source>
        <translation>Roster template saved at %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="902"/>
        <source>选择照片文件夹</source>
        <translation>Choose the photo folder</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="904"/>
        <source>选择照片压缩包</source>
        <translation>Choose the photo archive</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="904"/>
        <source>ZIP 压缩包 (*.zip)</source>
        <translation>ZIP archive (*.zip)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="913"/>
        <source>正在检查并导入照片……</source>
        <translation>Checking and importing photos…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="916"/>
        <source>照片导入完成：新增 %1，替换 %2，未导入 %3。</source>
        <translation>Photos imported: %1 new, %2 replaced, %3 not imported.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="920"/>
        <source>未导入的照片</source>
        <translation>Photos not imported</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="921"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="921"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="929"/>
        <source>没有照片的考生</source>
        <translation>Candidates without a photo</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="930"/>
        <source>准考证需要照片。请以证件号码命名照片文件后用“导入照片”导入。</source>
        <translation>Admission tickets need a photo. Name the photo files by ID number and import them with &quot;Import photos&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="943"/>
        <source>正在按国家职业标准核查申报条件……</source>
        <translation>Checking the eligibility conditions of the national occupational standard…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="947"/>
        <source>核查完成：符合申报条件 %1 份，不符合 %2 份。不符合的可不予通过，或由主考破格通过。</source>
        <translation>Check complete: %1 eligible, %2 not eligible. Those not eligible can be rejected, or approved by exception by the chief examiner.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="966"/>
        <source>已审核通过 %1 份。</source>
        <translation>Approved %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="968"/>
        <source>另有 %1 份未核查、不符合条件或已通过，未处理。</source>
        <translation>%1 more were unchecked, not eligible or already approved, and were left as they are.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="985"/>
        <source>已作不予通过 %1 份。</source>
        <translation>Rejected %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="992"/>
        <source>已破格通过 %1，理由已记入审计日志。</source>
        <translation>Approved %1 by exception; the reason is in the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="1001"/>
        <source>证明材料已保存。</source>
        <translation>Evidence saved.</translation>
    </message>
</context>
<context>
    <name>RemoveAfterLockDialog</name>
    <message>
        <location filename="../../ui/pages/staff.py" line="282"/>
        <source>取消考务安排（锁定后）</source>
        <translation>Remove staff assignment (locked plan)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="282"/>
        <source>取消安排</source>
        <translation>Unassign</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="285"/>
        <source>安排</source>
        <translation>Assignment</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="292"/>
        <source>写明理由，例如：监考员张某因病不能到场</source>
        <translation>Give the reason, e.g. invigilator Zhang is ill and cannot come</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="294"/>
        <source>理由 *</source>
        <translation>Reason *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="296"/>
        <source>取消后该考场仍须满足配比，否则不会改动；需要换人时请用“调整（锁定后）…”先增加再取消。</source>
        <translation>The room must still meet the ratio afterwards, or nothing changes; to replace someone, first add the new person with &quot;Change (locked)…&quot;, then remove.</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../ui/navigation.py" line="96"/>
        <source>系统管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="97"/>
        <source>考务人员</source>
        <translation>Exam office</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="98"/>
        <source>主考/质量督导</source>
        <translation>Chief examiner / Supervisor</translation>
    </message>
    <message>
        <location filename="../../ui/navigation.py" line="99"/>
        <source>数据员</source>
        <translation>Data clerk</translation>
    </message>
</context>
<context>
    <name>RoomDialog</name>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="175"/>
        <source>修改考场</source>
        <translation>Edit room</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="175"/>
        <source>添加考场</source>
        <translation>Add room</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="175"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="187"/>
        <source> 排</source>
        <translation> rows</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="191"/>
        <source> 列</source>
        <translation> columns</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="194"/>
        <source>全部可用座位</source>
        <translation>All seats usable</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="196"/>
        <source>排-列，逗号分隔，例如 1-1, 3-5</source>
        <translation>row-column, comma separated, e.g. 1-1, 3-5</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="197"/>
        <source>已安装视频监控并全程录像</source>
        <translation>Video surveillance installed, recording throughout</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="198"/>
        <source>考点 *</source>
        <translation>Site *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="199"/>
        <source>考场名称 *</source>
        <translation>Room name *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="200"/>
        <source>类型 *</source>
        <translation>Kind *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="205"/>
        <source>座位布局</source>
        <translation>Seat layout</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="206"/>
        <source>容量</source>
        <translation>Seats</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="207"/>
        <source>停用座位</source>
        <translation>Seats out of use</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="208"/>
        <source>视频监控</source>
        <translation>Video</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="209"/>
        <source>没有视频监控的考场不能使用（002 第十八条）。</source>
        <translation>A room without video surveillance cannot be used (002 §18).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="227"/>
        <source>请先添加考点。</source>
        <translation>Add a site first.</translation>
    </message>
</context>
<context>
    <name>RosterDialog</name>
    <message>
        <location filename="../../ui/pages/registration.py" line="405"/>
        <location filename="../../ui/pages/registration.py" line="538"/>
        <source>导入报名名册</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="415"/>
        <source>选择按模板填写的报名名册（.xlsx）</source>
        <translation>Choose a roster filled in from the template (.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="416"/>
        <source>选择名册文件…</source>
        <translation>Choose roster file…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="418"/>
        <source>名册文件</source>
        <translation>Roster file</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="422"/>
        <source>请选择名册文件。导入前会先检查每一个单元格，不写入任何数据。</source>
        <translation>Choose a roster file. Every cell is checked first; nothing is written until you import.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="431"/>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="432"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="433"/>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="434"/>
        <source>表头</source>
        <translation>Header</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="435"/>
        <source>填写内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="436"/>
        <source>错误说明</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="438"/>
        <source>没有错误。</source>
        <translation>No errors.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="439"/>
        <source>在错误中筛选（Ctrl+F）</source>
        <translation>Filter the errors (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="445"/>
        <source>有错误时不导入任何数据（推荐：改正后整份重新导入）</source>
        <translation>Import nothing if there are errors (recommended: correct them and import the whole roster again)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="446"/>
        <source>只导入没有错误的行，有错误的行改正后另行导入</source>
        <translation>Import only the rows without errors; import the corrected rows later</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="452"/>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="456"/>
        <source>错误说明工作簿保存到</source>
        <translation>Save the list of errors to</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="472"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="474"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="485"/>
        <source>选择报名名册</source>
        <translation>Choose roster</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="486"/>
        <source>Excel 工作簿 (*.xlsx *.xlsm *.xls);;所有文件 (*)</source>
        <translation>Excel workbooks (*.xlsx *.xlsm *.xls);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="496"/>
        <source>正在检查 %1 ……</source>
        <translation>Checking %1…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="499"/>
        <source>检查报名名册</source>
        <translation>Check roster</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="499"/>
        <source>正在逐格检查名册……</source>
        <translation>Checking the roster cell by cell…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="506"/>
        <source>工作表“%1”共 %2 行：有效 %3 行，有错误 %4 行（%5 处错误）。</source>
        <translation>Sheet &quot;%1&quot; has %2 rows: %3 valid, %4 with errors (%5 errors in all).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="510"/>
        <source>名册中没有数据行。</source>
        <translation>The roster has no data rows.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="512"/>
        <source>请选择如何处理有错误的行。</source>
        <translation>Choose what to do with the rows that have errors.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="514"/>
        <source>可以导入。</source>
        <translation>Ready to import.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="522"/>
        <source>错误说明工作簿另存为</source>
        <translation>Save the list of errors as</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="523"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="538"/>
        <source>正在导入……</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/registration.py" line="551"/>
        <source>无法读取名册。</source>
        <translation>Cannot read the roster.</translation>
    </message>
</context>
<context>
    <name>ScopeDialog</name>
    <message>
        <location filename="../../ui/pages/institution.py" line="122"/>
        <source>添加认定范围</source>
        <translation>Add scope</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="138"/>
        <source>职业</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="139"/>
        <source>工种</source>
        <translation>Work type</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="143"/>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="149"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="150"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="174"/>
        <source>（无工种）</source>
        <translation>(no work type)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="185"/>
        <source>请选择职业。</source>
        <translation>Choose an occupation.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/institution.py" line="188"/>
        <source>请至少选择一个等级。</source>
        <translation>Choose at least one level.</translation>
    </message>
</context>
<context>
    <name>ScoresPage</name>
    <message>
        <location filename="../../ui/pages/scores.py" line="308"/>
        <source>第 1 轮（第一人）</source>
        <translation>Round 1 (first clerk)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="309"/>
        <source>第 2 轮（第二人）</source>
        <translation>Round 2 (second clerk)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="311"/>
        <source>考核部分</source>
        <translation>Exam part</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="330"/>
        <source>您可以查看本页，录入成绩须考务人员，核定和锁定须主考/质量督导。</source>
        <translation>You can view this page; the exam office enters scores, the chief examiner / supervisor settles and locks them.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="335"/>
        <source>阅卷人（002 第二十五条）</source>
        <translation>Markers (002 §25)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="336"/>
        <source>安排阅卷人…</source>
        <translation>Assign marker…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="337"/>
        <source>从合格的考评员中为场次或考场选配阅卷人</source>
        <translation>Assign a qualified assessor to mark a session or room</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="338"/>
        <location filename="../../ui/pages/scores.py" line="879"/>
        <location filename="../../ui/pages/scores.py" line="884"/>
        <location filename="../../ui/pages/scores.py" line="895"/>
        <source>取消选配</source>
        <translation>Unassign</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="339"/>
        <source>名单</source>
        <translation>List</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="341"/>
        <source>显示或隐藏阅卷人名单（选中一行可取消选配）</source>
        <translation>Show or hide the markers (select a row to unassign)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="343"/>
        <source>写出评分记录表…</source>
        <translation>Write score sheets…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="345"/>
        <source>按场次和考场写出 Excel 录入表和打印用的 PDF 评分记录表（含阅卷人签字栏）</source>
        <translation>Write an Excel entry sheet and a printable PDF score sheet (with the markers&apos; signature lines) for each session and room</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="359"/>
        <source>场次</source>
        <translation>Session</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="360"/>
        <source>考场</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="361"/>
        <source>阅卷人</source>
        <translation>Marker</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="362"/>
        <source>考评员证号</source>
        <translation>Assessor cert. no.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="363"/>
        <source>选配人</source>
        <translation>Assigned by</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="365"/>
        <source>本部分尚未选配阅卷人。</source>
        <translation>No markers assigned for this part.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="376"/>
        <source>录入成绩</source>
        <translation>Enter scores</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="377"/>
        <source>导出录入表…</source>
        <translation>Export sheet…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="378"/>
        <source>导出本轮的 Excel 成绩录入表，填好后再导入</source>
        <translation>Export this round&apos;s Excel entry sheet; import it once filled in</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="379"/>
        <source>导入录入表…</source>
        <translation>Import sheet…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="390"/>
        <location filename="../../ui/pages/scores.py" line="431"/>
        <source>报名号</source>
        <translation>Appl.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="390"/>
        <location filename="../../ui/pages/scores.py" line="432"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="390"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="390"/>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="390"/>
        <source>成绩</source>
        <translation>Score</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="391"/>
        <source>考场记录</source>
        <translation>Room record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="394"/>
        <source>监考人员在考场记录中登记的缺考或违纪：这些考生须录“缺考”或“违纪”（违纪者该部分成绩无效）</source>
        <translation>Absence or misconduct recorded by the invigilators in the room record: enter &quot;absent&quot; or &quot;misconduct&quot; for these candidates (misconduct voids the part)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="412"/>
        <source>保存本轮录入</source>
        <translation>Save this round</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="413"/>
        <source>只保存填写了成绩的行；空白的行留待以后录入</source>
        <translation>Only rows with a score are saved; blank rows can be entered later</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="421"/>
        <source>核对、核定与锁定</source>
        <translation>Reconcile, settle and lock</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="426"/>
        <source>两轮录入不一致的成绩：</source>
        <translation>Scores that differ between the two rounds:</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="433"/>
        <source>第 1 轮</source>
        <translation>Round 1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="434"/>
        <source>第 2 轮</source>
        <translation>Round 2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="436"/>
        <source>没有不一致的成绩。</source>
        <translation>No differences.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="443"/>
        <source>核定…</source>
        <translation>Settle…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="444"/>
        <source>复核原始答卷后核定不一致的成绩</source>
        <translation>Settle a differing score after checking the original paper</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="445"/>
        <source>锁定本部分成绩</source>
        <translation>Lock this part</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="446"/>
        <source>更正成绩…</source>
        <translation>Correct score…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="447"/>
        <location filename="../../ui/pages/scores.py" line="815"/>
        <location filename="../../ui/pages/scores.py" line="838"/>
        <source>判定成绩结果</source>
        <translation>Decide results</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="449"/>
        <source>按各职业标准的合格线判定全部考生是否合格；须各部分成绩均已锁定</source>
        <translation>Decide pass or fail for every candidate by each standard&apos;s pass mark; every part must be locked</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="480"/>
        <source>读取成绩</source>
        <translation>Load scores</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="486"/>
        <source>尚无认定批次。</source>
        <translation>No sittings yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="499"/>
        <source>成绩已锁定并判定；如需修改，请由主考使用“更正成绩”并写明理由。</source>
        <translation> Scores are locked and decided; to change one, the chief examiner uses &quot;Correct score&quot; with a reason.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="510"/>
        <source>%1，第 %2 轮。这里只显示您本人在本轮录入的成绩；另一轮由另一位工作人员独立录入，两轮互不可见（002 第二十五条）。成绩填写：%3。</source>
        <translation>%1, round %2. Only the scores you entered in this round are shown; another clerk enters the other round independently, and neither sees the other&apos;s (002 §25). %3.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="533"/>
        <source>%1：%2 条成绩已经两轮核对并锁定；如需修改，请由主考使用“更正成绩”并写明理由。</source>
        <translation>%1: %2 scores were checked in both rounds and locked; to change one, the chief examiner uses &quot;Correct score&quot; with a reason.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="541"/>
        <source>%1：两轮一致 %2 条，不一致 %3 条，第 1 轮未录 %4 条，第 2 轮未录 %5 条；已锁定 %6 条。</source>
        <translation>%1: %2 agree, %3 differ, %4 missing in round 1, %5 missing in round 2; %6 locked.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="551"/>
        <source>
不一致的须复核原始答卷后核定，未录完的须补录，之后才能锁定。</source>
        <translation>
Settle the differences after checking the original papers and enter the missing scores; then the part can be locked.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="558"/>
        <source>名单（%1）</source>
        <translation>List (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="562"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="572"/>
        <source>锁定本部分成绩前，须从合格的考评员中选配阅卷人（002 第二十五条）。尚无阅卷人：%1</source>
        <translation>Before this part is locked, markers must be assigned from qualified assessors (002 §25). No marker yet: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="577"/>
        <source>未另选阅卷人的考场由考场考评员现场评分：</source>
        <translation>Rooms without an assigned marker are marked on the spot by their assessors: </translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="585"/>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="589"/>
        <source>各考场均已选配阅卷人：%1</source>
        <translation>Every room has a marker: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="621"/>
        <source>已填 %1 / 共 %2 人</source>
        <translation>%1 of %2 filled in</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="647"/>
        <source>考试尚未结束：在“准考证与签到”页标记为已考试后，才能录入、核定和锁定成绩。</source>
        <translation>The exam is not over yet: scores can be entered, settled and locked once the sitting is marked held on the &quot;Tickets &amp; check-in&quot; page.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="648"/>
        <source>认定批次当前为“%1”：成绩已判定或已确定，不能再做此操作。</source>
        <translation>The sitting is “%1”: results are judged or final, so this can no longer be done.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="672"/>
        <source>还没有填写任何成绩。</source>
        <translation>No scores filled in yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="679"/>
        <source>保存成绩</source>
        <translation>Save scores</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="681"/>
        <source>已保存第 %1 轮%2成绩 %3 条。</source>
        <translation>Saved %3 scores (%2, round %1).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="696"/>
        <source>%1-%2-第%3轮录入表.xlsx</source>
        <translation>%1-%2-round-%3-entry-sheet.xlsx</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="703"/>
        <location filename="../../ui/pages/scores.py" line="725"/>
        <source>导出成绩录入表</source>
        <translation>Export entry sheet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="705"/>
        <location filename="../../ui/pages/scores.py" line="735"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="726"/>
        <source>录入表已保存到 %1。</source>
        <translation>Entry sheet saved to %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="735"/>
        <location filename="../../ui/pages/scores.py" line="750"/>
        <source>导入成绩录入表</source>
        <translation>Import entry sheet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="752"/>
        <source>已从 %1 录入第 %2 轮成绩 %3 条。</source>
        <translation>Entered %3 round %2 scores from %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="782"/>
        <source>已核定 %1 的成绩并锁定，依据已记入审计日志。</source>
        <translation>Settled and locked the score of %1; the basis is in the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="793"/>
        <source>锁定成绩</source>
        <translation>Lock scores</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="795"/>
        <source>已锁定%1成绩 %2 条。锁定后只能由主考写明理由更正。</source>
        <translation>Locked %2 scores (%1). Once locked, only the chief examiner can correct them, with a reason.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="807"/>
        <source>成绩已更正，更正记录已记入审计日志。</source>
        <translation>Score corrected; the correction is in the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="816"/>
        <source>按已锁定的成绩判定全部考生是否合格，批次将变为“已评分”。</source>
        <translation>Decide pass or fail for every candidate from the locked scores; the sitting becomes &quot;Marked&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="817"/>
        <source>判定</source>
        <translation>Decide</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="828"/>
        <source>成绩结果已判定：合格 %1 人，不合格 %2 人，缺考 %3 人。可以发布公示。</source>
        <translation>Results decided: %1 passed, %2 failed, %3 absent. The results can now be publicised.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="851"/>
        <source>已选配 %1 为%2%3的阅卷人。</source>
        <translation>Assigned %1 as marker for %2 %3.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="880"/>
        <source>取消 %1 在%2%3的阅卷安排？</source>
        <translation>Unassign %1 as marker for %2 %3?</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="896"/>
        <source>已取消 %1 的阅卷安排。</source>
        <translation>%1 is no longer a marker.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="906"/>
        <source>选择保存评分记录表的文件夹</source>
        <translation>Choose a folder for the score sheets</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="921"/>
        <source>已写出%1的录入表和评分记录表 %2 份（第 %3 轮，共 %4 人）到 %5。</source>
        <translation>Wrote %2 entry and score sheets (%1, round %3, %4 candidates) to %5.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="932"/>
        <source>写出评分记录表</source>
        <translation>Write score sheets</translation>
    </message>
</context>
<context>
    <name>SeatChangeDialog</name>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="302"/>
        <source>调整座位（锁定后）</source>
        <translation>Move seat (locked plan)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="304"/>
        <source>写明谁、因为什么，例如：原座位课桌损坏，调到空座</source>
        <translation>Who and why, e.g. the desk at the seat is broken; moved to a free seat</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="306"/>
        <source>理由 *</source>
        <translation>Reason *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="308"/>
        <source>编排已锁定：调整须由主考/质量督导写明理由，记入调整记录和审计日志（002 第二十一条），开考前办理。</source>
        <translation>The plan is locked: the chief examiner / supervisor must give a reason, which goes into the change log and the audit log (002 §21); do it before the session starts.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="311"/>
        <source>准考证 %1 须重新打印并收回旧证，该场次的座位表和签到表也须重新打印。</source>
        <translation> Ticket %1 must be reprinted and the old one taken back; reprint the session&apos;s seat chart and sign-in sheet too.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="323"/>
        <source>请写明调整理由（002 第二十一条）。</source>
        <translation>Give the reason for the change (002 §21).</translation>
    </message>
</context>
<context>
    <name>SessionDialog</name>
    <message>
        <location filename="../../ui/pages/sittings.py" line="327"/>
        <source>安排场次 — %1</source>
        <translation>Schedule session — %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="327"/>
        <source>安排</source>
        <translation>Schedule</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="333"/>
        <source>本批次全部开考等级</source>
        <translation>All levels offered in this sitting</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="338"/>
        <source>%1（全部等级）</source>
        <translation>%1 (all levels)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="354"/>
        <source>场次类型</source>
        <translation>Session type</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="355"/>
        <source>适用于</source>
        <translation>Applies to</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="356"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="357"/>
        <source>时间（北京时间）</source>
        <translation>Time (Beijing)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="358"/>
        <source>时长不得少于国家职业标准的规定：理论知识考试一般不少于 90 分钟，操作技能考核不少于 60 分钟，综合评审不少于 15 分钟。</source>
        <translation>Durations must meet the national occupational standard: a theory exam usually at least 90 minutes, a practical exam at least 60 minutes, a review at least 15 minutes.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="371"/>
        <source>共 %1 分钟</source>
        <translation>%1 minutes</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../ui/pages/settings.py" line="275"/>
        <source>数据库与备份</source>
        <translation>Database and backups</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="276"/>
        <source>密钥</source>
        <translation>Keys</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="278"/>
        <source>节假日</source>
        <translation>Holidays</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="279"/>
        <source>打印机校准</source>
        <translation>Printer calibration</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="280"/>
        <source>语言与密码</source>
        <translation>Language and password</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="282"/>
        <location filename="../../ui/pages/settings.py" line="911"/>
        <location filename="../../ui/pages/settings.py" line="967"/>
        <source>用户与角色</source>
        <translation>Users and roles</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="290"/>
        <source>数据库位置</source>
        <translation>Database location</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="296"/>
        <source>本机 SQLite 数据库文件</source>
        <translation>Local SQLite database file</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="298"/>
        <source>PostgreSQL 数据库服务器（多台电脑共用）</source>
        <translation>PostgreSQL database server (shared by several PCs)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="300"/>
        <source>当前数据库</source>
        <translation>Current database</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="301"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="303"/>
        <source>更换数据库…</source>
        <translation>Change database…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="304"/>
        <source>选择另一个 SQLite 文件，或填写 PostgreSQL 服务器地址；下次启动时生效</source>
        <translation>Choose another SQLite file or enter a PostgreSQL server address; takes effect at the next start</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="311"/>
        <source>多台电脑共用时，请使用 PostgreSQL 服务器，地址形如 postgresql://用户名:密码@服务器:5432/jlexam。更换后需要重新启动程序。</source>
        <translation>For several PCs, use a PostgreSQL server, address like postgresql://user:password@server:5432/jlexam. Restart the program after changing.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="322"/>
        <source>备份</source>
        <translation>Backups</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="323"/>
        <source>立即备份</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="324"/>
        <source>从所选备份恢复…</source>
        <translation>Restore from selected backup…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="330"/>
        <source>程序在启动、退出以及每次批量或不可撤销的操作之前自动备份；保留最近 20 份，以及最近 30 天每天最新的一份。</source>
        <translation>The database is backed up automatically at start, at exit and before every bulk or irreversible operation; the newest 20 are kept, plus the newest of each day for 30 days.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="337"/>
        <source>备份时间</source>
        <translation>Backup time</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="338"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="340"/>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="346"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="348"/>
        <source>还没有备份。</source>
        <translation>No backups yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="355"/>
        <source>PostgreSQL 数据库由服务器管理员用 pg_dump 备份；这里没有本机备份。</source>
        <translation>A PostgreSQL database is backed up by the server administrator with pg_dump; there are no local backups here.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="367"/>
        <location filename="../../ui/pages/settings.py" line="395"/>
        <source>更换数据库</source>
        <translation>Change database</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="368"/>
        <source>新的数据库在哪里？</source>
        <translation>Where is the new database?</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="369"/>
        <location filename="../../ui/pages/settings.py" line="375"/>
        <source>本机文件（SQLite）</source>
        <translation>Local file (SQLite)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="369"/>
        <source>数据库服务器（PostgreSQL）</source>
        <translation>Database server (PostgreSQL)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="378"/>
        <source>选择数据库文件</source>
        <translation>Choose database file</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="380"/>
        <source>jlexam 数据库 (*.sqlite)</source>
        <translation>jlexam database (*.sqlite)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="386"/>
        <source>数据库服务器</source>
        <translation>Database server</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="387"/>
        <source>PostgreSQL 地址：</source>
        <translation>PostgreSQL address:</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="395"/>
        <source>下次启动时将使用：%1</source>
        <translation>Will be used at the next start: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="418"/>
        <source>备份数据库</source>
        <translation>Back up database</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="419"/>
        <source>正在备份数据库……</source>
        <translation>Backing up the database…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="423"/>
        <source>已备份到 %1</source>
        <translation>Backed up to %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="430"/>
        <location filename="../../ui/pages/settings.py" line="434"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="430"/>
        <source>请先在列表中选择一份备份。</source>
        <translation>Select a backup in the list first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="436"/>
        <source>将用 %1 的备份替换当前数据库。备份之后所做的全部更改都会丢失（当前文件会另存一份）。恢复后需要重新登录。</source>
        <translation>The current database will be replaced by the backup of %1. Every change made after that backup will be lost (the current file is kept aside). You will have to log in again.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="439"/>
        <source>恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="450"/>
        <source>密钥环</source>
        <translation>Keyring</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="451"/>
        <source>正在检查……</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="456"/>
        <source>考生证件号码等个人信息加密保存，数据密钥保存在本机密钥环中；准考证和证书上的二维码用签名密钥签名。重装电脑前请导出密钥恢复文件并妥善保管，否则加密的个人信息将无法读取。</source>
        <translation>Personal data such as ID numbers is stored encrypted; the data key is kept in this PC&apos;s keyring, and the QR codes on tickets and certificates are signed with the signing key. Export a key recovery file and keep it safe before reinstalling the PC, or the encrypted personal data cannot be read.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="463"/>
        <source>导出签名公钥…</source>
        <translation>Export signing public key…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="464"/>
        <source>导出密钥恢复文件…</source>
        <translation>Export key recovery file…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="465"/>
        <source>导入密钥恢复文件…</source>
        <translation>Import key recovery file…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="487"/>
        <location filename="../../ui/pages/settings.py" line="495"/>
        <location filename="../../ui/pages/settings.py" line="498"/>
        <source>导出签名公钥</source>
        <translation>Export signing public key</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="487"/>
        <source>PEM 文件 (*.pem)</source>
        <translation>PEM files (*.pem)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="499"/>
        <source>已导出公钥（密钥编号 %1）到 %2。</source>
        <translation>Public key (key id %1) exported to %2.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="505"/>
        <location filename="../../ui/pages/settings.py" line="524"/>
        <location filename="../../ui/pages/settings.py" line="527"/>
        <source>导出密钥恢复文件</source>
        <translation>Export key recovery file</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="507"/>
        <source>请设定保护恢复文件的口令（至少 8 个字符）。没有这个口令，恢复文件无法使用；请把口令和文件分开保管。</source>
        <translation>Set a passphrase to protect the recovery file (at least 8 characters). Without it the file is useless; keep the passphrase and the file apart.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="516"/>
        <source>保存密钥恢复文件</source>
        <translation>Save key recovery file</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="516"/>
        <source>密钥恢复文件 (*.recovery)</source>
        <translation>Key recovery files (*.recovery)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="527"/>
        <source>已保存到 %1。</source>
        <translation>Saved to %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="533"/>
        <source>选择密钥恢复文件</source>
        <translation>Choose key recovery file</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="533"/>
        <source>密钥恢复文件 (*.recovery);;所有文件 (*)</source>
        <translation>Key recovery files (*.recovery);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="538"/>
        <source>导入密钥恢复文件</source>
        <translation>Import key recovery file</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="538"/>
        <source>请输入导出时设定的口令。</source>
        <translation>Enter the passphrase set at export.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="550"/>
        <source>覆盖现有密钥</source>
        <translation>Overwrite current keys</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="551"/>
        <source>覆盖后，用现有密钥加密的数据将无法读取。确定要覆盖吗？</source>
        <translation>After overwriting, data encrypted with the current keys can no longer be read. Overwrite?</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="552"/>
        <source>覆盖</source>
        <translation>Overwrite</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="558"/>
        <location filename="../../ui/pages/settings.py" line="568"/>
        <location filename="../../ui/pages/settings.py" line="572"/>
        <source>导入密钥</source>
        <translation>Import keys</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="572"/>
        <source>密钥已导入。</source>
        <translation>Keys imported.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="579"/>
        <source>节假日调整</source>
        <translation>Holiday changes</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="588"/>
        <location filename="../../ui/pages/settings.py" line="614"/>
        <source>休息日</source>
        <translation>Day off</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="589"/>
        <source>工作日（调休上班）</source>
        <translation>Working day (adjusted)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="591"/>
        <source>说明，例如：国务院办公厅通知 国办发明电〔2025〕7号</source>
        <translation>Note, e.g. General Office of the State Council notice 国办发明电〔2025〕7号</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="592"/>
        <source>添加调整</source>
        <translation>Add change</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="593"/>
        <source>删除所选</source>
        <translation>Delete selected</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="594"/>
        <source>录入全年安排…</source>
        <translation>Enter year schedule…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="596"/>
        <source>国务院公布新一年的节假日安排后，在这里录入全年的放假和调休上班日期</source>
        <translation>Once the State Council publishes a year&apos;s holiday schedule, enter its days off and adjusted working days here</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="600"/>
        <location filename="../../ui/pages/settings.py" line="610"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="611"/>
        <source>星期</source>
        <translation>Weekday</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="613"/>
        <source>调整为</source>
        <translation>Changed to</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="614"/>
        <source>工作日</source>
        <translation>Working day</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="617"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="619"/>
        <source>没有调整。工作日按随程序附带的国务院节假日安排计算。</source>
        <translation>No changes. Working days follow the State Council holiday schedule shipped with the program.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="646"/>
        <location filename="../../ui/pages/settings.py" line="647"/>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="652"/>
        <source>随程序附带的国务院节假日安排：%1 年；管理员录入的年份：%2。调整优先于附带的安排，用于计算公示期、上报期限等工作日。</source>
        <translation>State Council holiday schedules shipped with the program: %1; years entered by an administrator: %2. Changes take precedence over the shipped schedules; working days count the publicity period, upload deadlines and more.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="659"/>
        <source>
%1 年的安排尚未录入：国务院公布后请点“录入全年安排…”；未录入前该年的期限按周一至周五暂定计算。</source>
        <translation>
The %1 schedule is not entered yet: once the State Council publishes it, click &quot;Enter year schedule…&quot;; until then, that year&apos;s deadlines count Monday to Friday provisionally.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="681"/>
        <source>保存节假日调整</source>
        <translation>Save holiday change</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="692"/>
        <location filename="../../ui/pages/settings.py" line="702"/>
        <source>删除调整</source>
        <translation>Delete change</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="692"/>
        <source>删除 %1 的调整？</source>
        <translation>Delete the change on %1?</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="692"/>
        <location filename="../../ui/pages/settings.py" line="814"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="707"/>
        <source>打印机校准偏移</source>
        <translation>Printer calibration offsets</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="711"/>
        <source>在空白证书等预印纸张上套打时，每台打印机的进纸位置略有不同。先打印校准页，量出红色十字到纸边的实际距离，与 20 毫米的差值就是偏移：向右、向下为正，范围 ±20 毫米。</source>
        <translation>When printing on pre-printed forms such as blank certificates, every printer feeds paper slightly differently. Print the calibration page, measure the distance from the red crosses to the paper edge; the difference from 20 mm is the offset: right and down are positive, within ±20 mm.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="722"/>
        <source>选择或输入打印机名称</source>
        <translation>Choose or type a printer name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="731"/>
        <source> 毫米</source>
        <translation> mm</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="735"/>
        <location filename="../../ui/pages/settings.py" line="752"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="736"/>
        <source>水平偏移（X，向右为正）</source>
        <translation>Horizontal offset (X, right is positive)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="737"/>
        <source>垂直偏移（Y，向下为正）</source>
        <translation>Vertical offset (Y, down is positive)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="740"/>
        <location filename="../../ui/pages/settings.py" line="801"/>
        <source>保存偏移</source>
        <translation>Save offset</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="741"/>
        <source>删除所选校准</source>
        <translation>Delete selected calibration</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="742"/>
        <source>打印校准页…</source>
        <translation>Print calibration page…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="754"/>
        <source>水平偏移（毫米）</source>
        <translation>Horizontal offset (mm)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="756"/>
        <source>垂直偏移（毫米）</source>
        <translation>Vertical offset (mm)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="758"/>
        <source>还没有校准过的打印机。未校准的打印机按零偏移打印。</source>
        <translation>No calibrated printers yet. Printers without calibration print without offset.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="812"/>
        <location filename="../../ui/pages/settings.py" line="821"/>
        <source>删除校准</source>
        <translation>Delete calibration</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="813"/>
        <source>删除打印机 %1 的校准偏移？</source>
        <translation>Delete the calibration offset of printer %1?</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="834"/>
        <source>打印机校准页</source>
        <translation>Printer calibration page</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="838"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="845"/>
        <source>应用</source>
        <translation>Apply</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="852"/>
        <source>规则检查给出的提示信息始终使用中文，以便与法规原文一致。</source>
        <translation>Messages from the rule checks are always in Chinese, as in the regulations.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="854"/>
        <source>修改我的密码</source>
        <translation>Change my password</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="862"/>
        <source>原密码</source>
        <translation>Old password</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="863"/>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="864"/>
        <source>再次输入新密码</source>
        <translation>Repeat new password</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="869"/>
        <location filename="../../ui/pages/settings.py" line="893"/>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="885"/>
        <source>两次输入的新密码不一致。</source>
        <translation>The two new passwords do not match.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="893"/>
        <source>密码已修改，下次登录时请使用新密码。</source>
        <translation>Password changed. Use the new password next time you log in.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="912"/>
        <source>新建用户…</source>
        <translation>New user…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="913"/>
        <source>修改角色…</source>
        <translation>Change roles…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="914"/>
        <location filename="../../ui/pages/settings.py" line="1006"/>
        <source>停用/启用</source>
        <translation>Disable/Enable</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="915"/>
        <location filename="../../ui/pages/settings.py" line="1012"/>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="916"/>
        <source>重置密码…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="921"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="922"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="924"/>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="929"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="930"/>
        <source>正常</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="930"/>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="934"/>
        <source>锁定至</source>
        <translation>Locked until</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="935"/>
        <source>最近登录</source>
        <translation>Last login</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="937"/>
        <source>没有用户。</source>
        <translation>No users.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="944"/>
        <source>系统管理员：用户、密钥、设置、备份；考务人员：批次、报名、编排、考务、录分；主考/质量督导：审批、锁定、启封见证、发证、公示与异议；数据员：数据上报与档案导出。</source>
        <translation>Administrator: users, keys, settings, backups; Exam office: sittings, registration, arrangement, staff, scores; Chief examiner/Supervisor: approvals, locking, witnessing paper opening, certificates, publicity and objections; Data clerk: data upload and archive export.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="967"/>
        <source>请先在列表中选择一位用户。</source>
        <translation>Select a user in the list first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="981"/>
        <source>新建用户</source>
        <translation>New user</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="991"/>
        <source>修改角色</source>
        <translation>Change roles</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="999"/>
        <source>停用用户</source>
        <translation>Disable user</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="1000"/>
        <source>停用 %1 后，该用户将不能登录。</source>
        <translation>After %1 is disabled, this user can no longer log in.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="1001"/>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="1020"/>
        <location filename="../../ui/pages/settings.py" line="1026"/>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="1021"/>
        <source>为 %1 设置新密码（至少 8 位，含字母和数字）：</source>
        <translation>Set a new password for %1 (at least 8 characters, letters and digits):</translation>
    </message>
</context>
<context>
    <name>SettleDialog</name>
    <message>
        <location filename="../../ui/pages/scores.py" line="99"/>
        <source>核定成绩</source>
        <translation>Settle score</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="99"/>
        <source>核定并锁定</source>
        <translation>Settle and lock</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="102"/>
        <source>考生</source>
        <translation>Candidate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="101"/>
        <source>%1（报名号 %2）</source>
        <translation>%1 (application %2)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="103"/>
        <source>考核部分</source>
        <translation>Exam part</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="105"/>
        <source>两轮录入</source>
        <translation>Double entry</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="107"/>
        <source>第 1 轮 %1；第 2 轮 %2</source>
        <translation>Round 1: %1; round 2: %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="115"/>
        <source>例如：复核原始答卷，第二轮录入有误</source>
        <translation>e.g. checked the original paper; round 2 was entered wrongly</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="117"/>
        <source>核定成绩 *</source>
        <translation>Settled score *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="118"/>
        <source>核定依据 *</source>
        <translation>Basis *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/scores.py" line="126"/>
        <source>请填写核定的成绩。</source>
        <translation>Enter the settled score.</translation>
    </message>
</context>
<context>
    <name>SiteDialog</name>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="151"/>
        <source>添加考点</source>
        <translation>Add site</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="151"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="155"/>
        <source>考点名称 *</source>
        <translation>Site name *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/arrangement.py" line="156"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
</context>
<context>
    <name>SittingState</name>
    <message>
        <location filename="../../ui/sittings.py" line="13"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="14"/>
        <source>报名中</source>
        <translation>Registration open</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="15"/>
        <source>报名截止</source>
        <translation>Registration closed</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="16"/>
        <source>已编排</source>
        <translation>Arranged</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="17"/>
        <source>已发准考证</source>
        <translation>Tickets issued</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="18"/>
        <source>已考试</source>
        <translation>Held</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="19"/>
        <source>已评分</source>
        <translation>Marked</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="20"/>
        <source>公示中</source>
        <translation>In publicity</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="21"/>
        <source>成绩确定</source>
        <translation>Final</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="22"/>
        <source>已发证</source>
        <translation>Certified</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="23"/>
        <source>已上报</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../ui/sittings.py" line="24"/>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
</context>
<context>
    <name>SittingsPage</name>
    <message>
        <location filename="../../ui/pages/sittings.py" line="439"/>
        <source>新建认定批次…</source>
        <translation>New sitting…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="444"/>
        <source>正在读取认定批次……</source>
        <translation>Reading sittings…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="447"/>
        <source>全部认定批次</source>
        <translation>All sittings</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="450"/>
        <source>批次编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="451"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="452"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="454"/>
        <source>考试日期</source>
        <translation>Exam dates</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="456"/>
        <source>开考等级</source>
        <translation>Levels</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="457"/>
        <source>当前</source>
        <translation>Current</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="459"/>
        <source>尚无认定批次。点击右上角“新建认定批次…”，在备案的认定范围内选择开考的职业和等级。</source>
        <translation>No sittings yet. Click &quot;New sitting…&quot; at the top right and choose the occupations and levels to offer within the filed scope.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="464"/>
        <source>双击一行设为当前批次；其他页面都按页首选择的当前批次工作。</source>
        <translation>Double-click a row to make it the current sitting; every other page works on the current sitting chosen in the header.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="470"/>
        <source>当前批次</source>
        <translation>Current sitting</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="471"/>
        <source>安排场次…</source>
        <translation>Schedule session…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="472"/>
        <source>发布公告并开放报名…</source>
        <translation>Announce and open registration…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="473"/>
        <location filename="../../ui/pages/sittings.py" line="668"/>
        <location filename="../../ui/pages/sittings.py" line="670"/>
        <location filename="../../ui/pages/sittings.py" line="673"/>
        <source>截止报名</source>
        <translation>Close registration</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="474"/>
        <source>认定公告 PDF</source>
        <translation>Announcement PDF</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="475"/>
        <source>生成认定公告并预览、打印（002 第十五条）</source>
        <translation>Generate the announcement to preview and print it (002 §15)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="489"/>
        <source>开考职业（工种）等级与收费</source>
        <translation>Occupations (work types), levels and fees offered</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="493"/>
        <source>职业编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="494"/>
        <source>职业（工种）</source>
        <translation>Occupation (work type)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="495"/>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="496"/>
        <source>收费（元）</source>
        <translation>Fee (yuan)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="496"/>
        <location filename="../../ui/pages/sittings.py" line="589"/>
        <source>免费</source>
        <translation>Free</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="499"/>
        <source>没有开考等级。</source>
        <translation>No levels offered.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="505"/>
        <source>场次（北京时间）</source>
        <translation>Sessions (Beijing time)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="509"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="510"/>
        <source>适用于</source>
        <translation>Applies to</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="511"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="512"/>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="513"/>
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="514"/>
        <source>分钟</source>
        <translation>Minutes</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="517"/>
        <source>尚未安排场次。公告须写明考试时间（002 第十五条）：点击“安排场次…”。</source>
        <translation>No sessions yet. The announcement must state the exam times (002 §15): click &quot;Schedule session…&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="543"/>
        <source>读取认定批次</source>
        <translation>Read sittings</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="554"/>
        <source>尚无认定批次。</source>
        <translation>No sittings yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="554"/>
        <source>点击右上角“新建认定批次…”开始。</source>
        <translation>Click &quot;New sitting…&quot; at the top right to begin.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="555"/>
        <source>认定批次由考务人员创建。</source>
        <translation>Sittings are created by the exam office.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="558"/>
        <source>请在页首选择当前认定批次，或在下表中双击一个批次。</source>
        <translation>Choose the current sitting in the header, or double-click a sitting in the table below.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="575"/>
        <source>%1 至 %2</source>
        <translation>%1 to %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="586"/>
        <source>当前批次：%1（%2）</source>
        <translation>Current sitting: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="590"/>
        <source>%1 – %2 元</source>
        <translation>%1 – %2 yuan</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="593"/>
        <source>状态：%1 %6 考试日期：%2 %6 开考等级：%3 个 %6 场次：%4 个 %6 收费：%5</source>
        <translation>State: %1 %6 Exam dates: %2 %6 Levels offered: %3 %6 Sessions: %4 %6 Fees: %5</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="606"/>
        <source>请先安排场次：公告须写明考试时间（002 第十五条）。</source>
        <translation>Schedule the sessions first: the announcement must state the exam times (002 §15).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="637"/>
        <source>读取认定范围</source>
        <translation>Read scope</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="641"/>
        <source>尚未设置认定范围</source>
        <translation>No scope set</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="642"/>
        <source>认定批次只能在机构备案的认定范围内开考（002 第十六条）。请先在“机构”页面设置认定范围。</source>
        <translation>A sitting can only offer what is in the institution&apos;s filed scope (002 §16). Set the scope on the &quot;Institution&quot; page first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="648"/>
        <source>已创建认定批次 %1。</source>
        <translation>Sitting %1 created.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="669"/>
        <source>截止 %1 的报名？截止后不能再登记或导入报名。</source>
        <translation>Close registration for %1? Applications can then no longer be recorded or imported.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="687"/>
        <source>生成认定公告</source>
        <translation>Generate announcement</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="688"/>
        <source>正在生成认定公告……</source>
        <translation>Generating the announcement…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="693"/>
        <source>认定公告 — %1</source>
        <translation>Announcement — %1</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <location filename="../../ui/pages/staff.py" line="102"/>
        <source>修改考务人员</source>
        <translation>Edit staff member</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="102"/>
        <source>添加考务人员</source>
        <translation>Add staff member</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="102"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="107"/>
        <source>本机构正式职工</source>
        <translation>Permanent employee of the institution</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="122"/>
        <source>考评员证书编号</source>
        <translation>Assessor certificate number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="124"/>
        <source>职业编码，逗号分隔，例如 6-31-01-03</source>
        <translation>Occupation codes, comma separated, e.g. 6-31-01-03</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="127"/>
        <source>（不适用）</source>
        <translation>(n/a)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="128"/>
        <source>最高 </source>
        <translation>Level </translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="129"/>
        <source> 级</source>
        <translation> and below</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="130"/>
        <source>登记聘用期</source>
        <translation>Record appointment</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="137"/>
        <source>在岗</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="139"/>
        <source>姓名 *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="140"/>
        <source>工作单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="142"/>
        <source>岗位 *</source>
        <translation>Roles *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="143"/>
        <source>证书编号</source>
        <translation>Certificate no.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="144"/>
        <source>可考评职业</source>
        <translation>Occupations</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="145"/>
        <source>可考评等级</source>
        <translation>Levels</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="147"/>
        <source>聘用日期</source>
        <translation>Appointed on</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="148"/>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="152"/>
        <source>考评员须登记证书编号、可考评的职业和等级及聘用有效期（3 年，002 第三十八条）；内部质量督导员须为本机构正式职工（002 第四十四条）。</source>
        <translation>Assessors need a certificate number, the occupations and levels they assess and their appointment period (3 years, 002 §38); internal supervisors must be permanent employees of the institution (002 §44).</translation>
    </message>
</context>
<context>
    <name>StaffPage</name>
    <message>
        <location filename="../../ui/pages/staff.py" line="372"/>
        <source>人员名册</source>
        <translation>Staff list</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="373"/>
        <source>场次与考场安排</source>
        <translation>Sessions and rooms</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="374"/>
        <location filename="../../ui/pages/staff.py" line="607"/>
        <source>问题与调整记录</source>
        <translation>Problems and changes</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="375"/>
        <source>考务会</source>
        <translation>Briefings</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="383"/>
        <source>有效期已过或不在岗的人员以红色显示。</source>
        <translation>People whose appointment expired or who are inactive are shown in red.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="386"/>
        <source>修改…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="387"/>
        <source>添加人员…</source>
        <translation>Add person…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="401"/>
        <location filename="../../ui/pages/staff.py" line="496"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="403"/>
        <location filename="../../ui/pages/staff.py" line="458"/>
        <location filename="../../ui/pages/staff.py" line="495"/>
        <source>岗位</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="409"/>
        <source>工作单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="410"/>
        <source>（外聘）</source>
        <translation> (external)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="414"/>
        <source>证书编号</source>
        <translation>Certificate no.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="416"/>
        <source>可考评职业</source>
        <translation>Occupations</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="422"/>
        <source>最高等级</source>
        <translation>Top level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="423"/>
        <source>%1 级</source>
        <translation>Level %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="427"/>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="429"/>
        <location filename="../../ui/pages/staff.py" line="463"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="429"/>
        <source>在岗</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="429"/>
        <source>停用</source>
        <translation>Inactive</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="432"/>
        <source>尚未登记考务人员。</source>
        <translation>No staff yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="433"/>
        <source>按姓名、岗位、证书编号筛选（Ctrl+F）</source>
        <translation>Filter by name, role, certificate number (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="443"/>
        <source>各考场需要与已安排</source>
        <translation>Needed and assigned per room</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="447"/>
        <location filename="../../ui/pages/staff.py" line="497"/>
        <source>场次</source>
        <translation>Session</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="455"/>
        <location filename="../../ui/pages/staff.py" line="494"/>
        <source>考场</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="456"/>
        <source>考生</source>
        <translation>Cand.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="460"/>
        <source>需要</source>
        <translation>Need</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="461"/>
        <source>已安排</source>
        <translation>Have</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="465"/>
        <source>符合</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="468"/>
        <source>缺 %1 人</source>
        <translation>%1 short</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="470"/>
        <source>须为奇数</source>
        <translation>Must be odd</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="476"/>
        <source>配比依据</source>
        <translation>Ratio rule</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="478"/>
        <source>本场次尚未编排座位，编排后这里显示各考场需要的监考员和考评员。</source>
        <translation>No seats assigned in this session yet; once they are, the invigilators and assessors each room needs are shown here.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="485"/>
        <source>本场次的安排</source>
        <translation>Assignments in this session</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="486"/>
        <location filename="../../ui/pages/staff.py" line="635"/>
        <source>安排…</source>
        <translation>Assign…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="488"/>
        <location filename="../../ui/pages/staff.py" line="636"/>
        <location filename="../../ui/pages/staff.py" line="704"/>
        <source>取消安排</source>
        <translation>Unassign</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="494"/>
        <source>（不分考场）</source>
        <translation>(all rooms)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="499"/>
        <source>本场次尚未安排考务人员。</source>
        <translation>No staff assigned in this session yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="510"/>
        <source>阻碍锁定的问题</source>
        <translation>Problems preventing the lock</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="513"/>
        <source>依据</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="514"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="516"/>
        <source>没有阻碍锁定的问题。</source>
        <translation>Nothing prevents locking.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="521"/>
        <source>锁定后的调整记录：考务人员和座位（002 第二十一条）</source>
        <translation>Changes after the lock: staff and seats (002 §21)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="636"/>
        <source>取消安排（锁定后）…</source>
        <translation>Unassign (locked)…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="642"/>
        <source>选择一项安排后取消</source>
        <translation>Select an assignment to remove it</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="647"/>
        <source>修改所选考务人员的资料</source>
        <translation>Edit the selected staff member&apos;s details</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="648"/>
        <source>请先在名册中选择一名考务人员。</source>
        <translation>Select a staff member in the register first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="652"/>
        <source>报名截止、考务人员确定后才能登记考务会（002 第二十三条）</source>
        <translation>A briefing can be recorded once registration is closed and the staff are fixed (002 §23)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="654"/>
        <source>考试已举行：考务会记录已不能再补登</source>
        <translation>The exam has been held: a briefing can no longer be recorded</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="659"/>
        <source>登记认定实施前召开的考务会及到会人员（002 第二十三条）</source>
        <translation>Record the staff briefing held before the exam and who attended (002 §23)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="524"/>
        <location filename="../../ui/pages/staff.py" line="545"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="525"/>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="526"/>
        <source>调整</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="527"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="528"/>
        <source>批准人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="530"/>
        <source>没有调整记录。</source>
        <translation>No changes.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="538"/>
        <source>考务会（认定实施前召开，002 第二十三条）</source>
        <translation>Briefings (held before the exam, 002 §23)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="539"/>
        <source>登记考务会…</source>
        <translation>Record briefing…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="546"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="547"/>
        <source>到会</source>
        <translation>Attended</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="549"/>
        <source>未到</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="554"/>
        <source>内容</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="556"/>
        <source>尚未登记考务会。考试结束前须有考务会记录。</source>
        <translation>No briefing recorded yet. One must be recorded before the exam ends.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="569"/>
        <source>读取考务人员</source>
        <translation>Read staff</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="575"/>
        <source>尚无认定批次；可以先登记考务人员名册。</source>
        <translation>No sittings yet; the staff list can be filled in already.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="578"/>
        <source>考务人员安排已随考场编排锁定。调整须由主考/质量督导写明理由（002 第二十一条）。</source>
        <translation>Staff assignments were locked with the seat plan. Changes need a reason from the chief examiner / supervisor (002 §21).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="586"/>
        <source>%1 个考场的考务人员不足或不符合配比（红色）。</source>
        <translation>%1 rooms are short of staff or break the ratio (red).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="605"/>
        <source>问题与调整记录（%1）</source>
        <translation>Problems and changes (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="628"/>
        <source>编排已锁定：调整须由主考/质量督导操作并写明理由（002 第二十一条）</source>
        <translation>The plan is locked: changes are made by the chief examiner / supervisor with a reason (002 §21)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="629"/>
        <source>编排已锁定：调整须由主考/质量督导写明理由，记入调整记录（002 第二十一条）</source>
        <translation>The plan is locked: changes need a reason from the chief examiner / supervisor and go into the change log (002 §21)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="633"/>
        <source>安排考务人员须由考务人员操作</source>
        <translation>Staff are assigned by the exam office</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="635"/>
        <source>调整（锁定后）…</source>
        <translation>Change (locked)…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="667"/>
        <source>已保存考务人员 %1。</source>
        <translation>Saved %1.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="685"/>
        <source>考务人员安排已保存，记入审计日志。</source>
        <translation>Staff assignment saved and written to the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="695"/>
        <source>已取消 %1 的安排，调整记录已保存。</source>
        <translation>Removed the assignment of %1; the change is logged.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="706"/>
        <source>已取消 %1 的%2安排。</source>
        <translation>Removed %1 as %2.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="722"/>
        <source>已登记考务会：到会 %1 人%2。</source>
        <translation>Briefing recorded: %1 attended%2.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/staff.py" line="724"/>
        <source>，未到 %1 人</source>
        <translation>, %1 absent</translation>
    </message>
</context>
<context>
    <name>Tables</name>
    <message>
        <location filename="../../ui/tables.py" line="252"/>
        <source>输入关键字筛选（Ctrl+F）</source>
        <translation>Type to filter (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/tables.py" line="264"/>
        <source>暂无数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <location filename="../../ui/tables.py" line="299"/>
        <source>显示 %1 / 共 %2 条</source>
        <translation>Showing %1 of %2 rows</translation>
    </message>
    <message>
        <location filename="../../ui/tables.py" line="302"/>
        <source>共 1 条</source>
        <translation>1 row</translation>
    </message>
    <message>
        <location filename="../../ui/tables.py" line="304"/>
        <source>共 %1 条</source>
        <translation>%1 rows</translation>
    </message>
</context>
<context>
    <name>TaskDialog</name>
    <message>
        <location filename="../../ui/pages/sittings.py" line="146"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sittings.py" line="181"/>
        <source>（依据：%1）</source>
        <translation> (rule: %1)</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <location filename="../../ui/tasks.py" line="124"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/tasks.py" line="138"/>
        <source>正在取消……</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../ui/tasks.py" line="205"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
</context>
<context>
    <name>UploadsPage</name>
    <message>
        <location filename="../../ui/pages/uploads.py" line="123"/>
        <source>待上报证书</source>
        <translation>Certificates to upload</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="124"/>
        <source>生成上报批次…</source>
        <translation>Create upload batch…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="125"/>
        <source>按平台模板导出所选证书（未选则全部），签名打包为 ZIP</source>
        <translation>Export the selected certificates (all if none is selected) by the platform template, signed and packed as a ZIP</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="131"/>
        <source>证书编号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="132"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="133"/>
        <source>发证日期</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="134"/>
        <source>职业等级</source>
        <translation>Occupation and level</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="136"/>
        <source>没有待上报的证书。</source>
        <translation>No certificates to upload.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="142"/>
        <location filename="../../ui/pages/uploads.py" line="269"/>
        <source>校验上报数据包</source>
        <translation>Verify upload package</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="143"/>
        <source>选择数据包并校验…</source>
        <translation>Choose package and verify…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="146"/>
        <source>选择一个上报数据包（.zip），按第三方的方式逐项校验：完整性、签名、清单和数据文件。</source>
        <translation>Choose an upload package (.zip) and verify it item by item as a third party would: integrity, signature, manifest and data files.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="152"/>
        <source>校验项</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="153"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="155"/>
        <source>尚未校验。</source>
        <translation>Not verified yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="162"/>
        <source>上报批次与期限</source>
        <translation>Upload batches and deadlines</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="163"/>
        <source>登记已上报…</source>
        <translation>Record upload…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="164"/>
        <location filename="../../ui/pages/uploads.py" line="305"/>
        <source>登记平台已确认</source>
        <translation>Record platform confirmation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="172"/>
        <source>数据包</source>
        <translation>Package</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="173"/>
        <source>证书数</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="174"/>
        <source>上报期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="174"/>
        <source>（暂定）</source>
        <translation> (est.)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="176"/>
        <source>剩余工作日</source>
        <translation>Days left</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="178"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="180"/>
        <source>回执编号</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="181"/>
        <source>提示</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="183"/>
        <source>尚未生成上报批次。</source>
        <translation>No upload batches yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="192"/>
        <source>读取上报</source>
        <translation>Read uploads</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="205"/>
        <source>上报批次 %1（%2 本证书，期限 %3）：%4</source>
        <translation>Upload batch %1 (%2 certificates, due %3): %4</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="212"/>
        <source>%1 本证书尚未上报</source>
        <translation>%1 certificates not uploaded yet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="214"/>
        <source>（最早发证 %1）：发证后 30 个工作日内须上报（002 第二十八条）。</source>
        <translation> (earliest issued %1): certificates must be uploaded within 30 working days of issue (002 §28).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="247"/>
        <source>保存上报数据包</source>
        <translation>Save upload package</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="248"/>
        <location filename="../../ui/pages/uploads.py" line="263"/>
        <source>ZIP 压缩包 (*.zip)</source>
        <translation>ZIP archive (*.zip)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="253"/>
        <source>生成上报批次</source>
        <translation>Create upload batch</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="254"/>
        <source>正在导出、签名并打包……</source>
        <translation>Exporting, signing and packing…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="255"/>
        <source>已生成上报批次 %1：%2 本证书，已签名（密钥 %3）。请上传到国家平台后登记回执。</source>
        <translation>Upload batch %1 created: %2 certificates, signed (key %3). Upload it to the national platform, then record the receipt.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="262"/>
        <source>选择上报数据包</source>
        <translation>Choose upload package</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="278"/>
        <source>%1：全部 %2 项校验通过。数据包完整、签名有效。</source>
        <translation>%1: all %2 checks passed. The package is complete and its signature valid.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="281"/>
        <source>%1：%2 项未通过，数据包可能被改动或损坏，不能上报。</source>
        <translation>%1: %2 checks failed; the package may have been altered or damaged and must not be uploaded.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="298"/>
        <source>已登记上报回执。</source>
        <translation>Upload receipt recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/uploads.py" line="306"/>
        <source>已登记国家平台确认接收。</source>
        <translation>Recorded that the national platform confirmed receipt.</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../ui/pages/settings.py" line="112"/>
        <source>新建用户</source>
        <translation>New user</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="114"/>
        <source>修改角色 — %1</source>
        <translation>Change roles — %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="121"/>
        <source>至少 8 位，含字母和数字</source>
        <translation>At least 8 characters, letters and digits</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="123"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="124"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="125"/>
        <source>初始密码</source>
        <translation>Initial password</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="136"/>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="138"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="139"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Widgets</name>
    <message>
        <location filename="../../ui/widgets.py" line="91"/>
        <source>此操作无法撤销。</source>
        <translation>This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="94"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="107"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>WorkPage</name>
    <message>
        <location filename="../../ui/pages/work.py" line="69"/>
        <source>（依据：%1）</source>
        <translation> (rule: %1)</translation>
    </message>
</context>
<context>
    <name>YearScheduleDialog</name>
    <message>
        <location filename="../../ui/pages/settings.py" line="156"/>
        <source>录入全年节假日安排</source>
        <translation>Enter a year&apos;s holiday schedule</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="166"/>
        <source>例如：国务院办公厅关于2027年部分节假日安排的通知 国办发明电〔2026〕X号</source>
        <translation>e.g. State Council notice on the 2027 holidays, 国办发明电〔2026〕X号</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="168"/>
        <source>年份 *</source>
        <translation>Year *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="169"/>
        <source>依据 *</source>
        <translation>Source *</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="174"/>
        <source>按通知逐行填写：放假写“开始日期~结束日期 节日”，单日写“日期 节日”；调休上班的周六、周日每天一行，说明中写“上班”或“补班”。以 # 开头的行不读取。也可从 .txt、.csv 或 .xlsx 文件读取。</source>
        <translation>One line per entry, as in the notice: days off as &quot;start~end holiday&quot;, a single day as &quot;date holiday&quot;; each adjusted working Saturday or Sunday on its own line, with &quot;上班&quot; or &quot;补班&quot; in the note. Lines starting with # are skipped. A .txt, .csv or .xlsx file can also be read.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="187"/>
        <source>替换该年已录入的安排（该年原有的全部调整将被删除）</source>
        <translation>Replace the schedule already entered for this year (all its changes are deleted)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="195"/>
        <source>从文件读取…</source>
        <translation>Read file…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="196"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="197"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="211"/>
        <source>尚未填写。</source>
        <translation>Nothing entered yet.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="221"/>
        <source>%1 年：放假 %2 天，调休上班 %3 天。</source>
        <translation>%1: %2 days off, %3 adjusted working days.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="232"/>
        <source>读取节假日安排</source>
        <translation>Read holiday schedule</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="232"/>
        <source>节假日安排 (*.txt *.csv *.xlsx)</source>
        <translation>Holiday schedule (*.txt *.csv *.xlsx)</translation>
    </message>
</context>
<context>
    <name>_BrandPanel</name>
    <message>
        <location filename="../../ui/login.py" line="47"/>
        <source>职业技能等级认定
考务管理系统</source>
        <translation>Vocational Skill Certification
Exam Office</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="49"/>
        <source>报名审核 · 考场编排 · 成绩公示 · 证书发放 · 数据上报</source>
        <translation>Registration · Seat plans · Result publicity · Certificates · Data upload</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="52"/>
        <source>吉林省职业技能等级认定 · 离线单机版</source>
        <translation>Jilin vocational skill certification · offline edition</translation>
    </message>
</context>
<context>
    <name>_FormDialog</name>
    <message>
        <location filename="../../ui/login.py" line="128"/>
        <source>出现意外错误：%1</source>
        <translation>Unexpected error: %1</translation>
    </message>
</context>
<context>
    <name>_PassphraseDialog</name>
    <message>
        <location filename="../../ui/pages/settings.py" line="83"/>
        <source>口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="87"/>
        <source>再次输入</source>
        <translation>Repeat</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="92"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="93"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="101"/>
        <source>两次输入的口令不一致。</source>
        <translation>The two passphrases do not match.</translation>
    </message>
</context>
</TS>

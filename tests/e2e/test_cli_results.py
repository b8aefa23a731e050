"""Results, certificates and upload batches through the command line, on a demo database."""

import zipfile

from jlexam.demo.pipeline import DEMO_PASSWORD


def _demo(jlexam):
    out = jlexam.home / "demo"
    assert jlexam("demo", "--out", str(out), "--candidates", "40", password=None).code == 0
    env = {
        "JLEXAM_DB": str(out / "jlexam-demo.sqlite"),
        "JLEXAM_KEYRING": f"file:{out / 'keyring.cfg'}",
        "JLEXAM_KEYRING_PASSPHRASE": "jlexam-demo-keyring",
    }
    return out, env


def test_batch_verify_intact_and_tampered(jlexam):
    out, _env = _demo(jlexam)
    ok = jlexam(
        "batch",
        "verify",
        str(out / "upload-batch.zip"),
        "--public-key",
        str(out / "public_key.pem"),
        password=None,
    )
    assert ok.code == 0, ok.out + ok.err
    tampered = jlexam.home / "tampered.zip"
    with zipfile.ZipFile(out / "upload-batch.zip") as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith(".csv"):
                data = data.replace(b"\xe5\x90\x88\xe6\xa0\xbc", b"\xe4\xb8\x8d\xe5\x90\x88\xe6\xa0\xbc", 1)
            dst.writestr(item, data)
    bad = jlexam("batch", "verify", str(tampered), password=None)
    assert bad.code == 3


def test_certificates_print_and_upload_status(jlexam):
    _out, env = _demo(jlexam)
    env["JLEXAM_USER"] = "zhukao"
    sitting = jlexam("sittings", "list", password=DEMO_PASSWORD, **env).out.split()[0]
    r = jlexam(
        "certificates",
        "print",
        "--sitting",
        sitting,
        "--out",
        str(jlexam.home / "c.pdf"),
        "--blank",
        "--offset",
        "1.5",
        "-1",
        password=DEMO_PASSWORD,
        **env,
    )
    assert r.code == 0 and "本证书" in r.out, r.err
    env["JLEXAM_USER"] = "shujuyuan"
    status = jlexam("upload", "status", password=DEMO_PASSWORD, **env)
    assert status.code == 0 and "uploaded" in status.out  # the demo records the platform receipt
    nothing = jlexam("upload", "export", "--out", str(jlexam.home / "b.zip"), password=DEMO_PASSWORD, **env)
    assert nothing.code == 1 and "没有要上报的证书" in nothing.err

# lit configuration for supc's tests (tests/lit/).
#
# Substitutions: %supc (the built supc), FileCheck, not, count, split-file, %python,
# %srcroot, %stdlib, %expect_exit, %snapshot, %json_check, %apply_fixits (applies the fix-its
# of `--format=json` diagnostics to a file, as an editor would). A test file is either a .sup
# spec with `// RUN:` lines, or a .test script.
# Files under Inputs/ directories are data, not tests.
import os

import shutil

import lit.formats
import lit.util

config.name = "supc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".sup", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)

site = lit_config.params.get("site_config")
if site is None:
    lit_config.fatal("run through CTest, or pass --param site_config=BUILD/tests/lit/lit.site.cfg.py")
exec(open(site).read())

config.test_exec_root = os.path.join(config.supc_binary_root, "tests", "lit")
config.substitutions.append(("%supc", config.supc))
config.substitutions.append(("%python", config.python))
# `%expect_exit N cmd...`: runs cmd and fails unless its exit status is exactly N.
config.substitutions.append(
    ("%expect_exit", config.python + " " + os.path.join(config.test_source_root, "expect_exit.py")))
# `%snapshot PATH...`: every file under PATH with its time stamp and a hash of its contents
# (compare two to show that nothing changed).
config.substitutions.append(
    ("%snapshot", config.python + " " + os.path.join(config.test_source_root, "snapshot.py")))
# `%json_check [--lines] FILE`: fails unless FILE is strict UTF-8 and JSON; prints its
# strings, escaped.
config.substitutions.append(
    ("%apply_fixits", config.python + " " + os.path.join(config.test_source_root, "apply_fixits.py")))
config.substitutions.append(
    ("%json_check", config.python + " " + os.path.join(config.test_source_root, "json_check.py")))
config.substitutions.append(("%srcroot", config.supc_source_root))
config.substitutions.append(("%stdlib", os.path.join(config.supc_source_root, "stdlib")))
config.substitutions.append(("FileCheck", config.filecheck))
config.substitutions.append(("not ", config.not_tool + " "))
config.substitutions.append(("count ", config.count_tool + " "))
config.substitutions.append(("split-file ", config.split_file + " "))

# Deterministic output: no colours, no inherited stdlib or env() values, a fixed
# scheduler count.
for var in ("SUPC_STDLIB", "POOL_SIZE", "GEN_SCALE"):
    config.environment.pop(var, None)
config.environment["SUPC_SCHEDULERS"] = "4"
config.environment["TERM"] = "dumb"

# The SARIF schema validator (tests/sarif): a Python with the jsonschema module, lit's own
# or Debian's python3-jsonschema; tests that need it are UNSUPPORTED without one.
import subprocess
for python in (config.python, "/usr/bin/python3"):
    if python and shutil.which(python) and subprocess.run(
            [python, "-c", "import jsonschema"], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL).returncode == 0:
        config.available_features.add("jsonschema")
        config.substitutions.append(
            ("%validate_sarif", python + " " + os.path.join(config.supc_source_root, "tests",
                                                            "sarif", "validate_sarif.py") +
             " " + os.path.join(config.supc_source_root, "tests", "sarif",
                                "sarif-schema-2.1.0.json")))
        break

# A supc built with sanitizers (SUPC_SANITIZE, the test command's build-address): sweeps that
# only repeat in it what the Release build's run already checks, at the cost of an ASan
# start-up per process (about 1,500 processes for fmt's repository sweep), are UNSUPPORTED
# there; the sanitizers still see every subcommand through the fuzz replay (robustness).
if getattr(config, "supc_sanitize", ""):
    config.available_features.add("sanitizer")
# The fuzz replay's mutants (robustness/fuzz-replay.test): 200 in the Release build; 100 with
# supc under the sanitizers, where each run costs ~0.15 s of start-up alone and the replay was
# a third of the work of the ASan+UBSan phase's tests. The hostile corpus is replayed whole.
config.substitutions.append(
    ("%fuzz_mutants", "100" if "sanitizer" in config.available_features else "200"))

# Build tools some tests read supc's output with (a test that needs one is UNSUPPORTED
# without it).
for tool in ("ninja", "make"):
    if shutil.which(tool):
        config.available_features.add(tool)

#!/usr/bin/env bash
# Runs one benchmark of Twostep: bench/run.sh <apply|check|compile|traffic|rehearse|junit|locks|instances|spring|tenants> [options]
# or apply, compile, check, traffic, rehearse and junit with their default (full) sizes, one after the other: bench/run.sh all
# Builds the bench module (and, once the root pom lists it, the modules it needs) into
# bench/target-bench, then starts the harness; raw output goes to bench/results/<benchmark>-<date>.txt.
#   TWOSTEP_TEST_URL=jdbc:postgresql://host:5432/postgres?user=postgres  benchmark that server
#                                                                     (default: embedded PostgreSQL)
#   TWOSTEP_BENCH_SKIP_BUILD=1                                         reuse the last build
# Needs a JDK 17+, Maven, and GNU time (/usr/bin/time; Debian/Ubuntu: apt-get install time).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${TWOSTEP_BENCH_TARGET:-target-bench}"

usage() {
  echo "usage: bench/run.sh <apply|check|compile|traffic|rehearse|junit|locks|instances|spring|tenants> [--option value ...] | bench/run.sh all" >&2
  exit 2
}
[ $# -ge 1 ] || usage
case "$1" in
  apply) main=dev.twostep.bench.ApplyBenchmark ;;
  check) main=dev.twostep.bench.CheckBenchmark ;;
  compile) main=dev.twostep.bench.CompileBenchmark ;;
  traffic) main=dev.twostep.bench.TrafficBenchmark ;;
  locks) main=dev.twostep.bench.LockBenchmark ;;
  instances) main=dev.twostep.bench.InstanceBenchmark ;;
  spring) main=dev.twostep.bench.SpringStartupBenchmark ;;
  tenants) main=dev.twostep.bench.TenantsBenchmark ;;
  rehearse) main=dev.twostep.bench.RehearseBenchmark ;;
  junit) main=dev.twostep.bench.JunitBenchmark ;;
  all) main=all ;;
  *) usage ;;
esac
shift

if [ ! -x /usr/bin/time ]; then
  echo "bench/run.sh: GNU time (/usr/bin/time) measures peak memory; install it: apt-get install time" >&2
  exit 2
fi

if [ "${TWOSTEP_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  if grep -q '<module>bench</module>' pom.xml; then
    mvn -B -q -pl bench -am package -DskipTests -Dtwostep.target="$target"
  else
    # bench is not in the reactor yet: build it alone against the installed modules
    mvn -B -q -f bench/pom.xml package -DskipTests -Dtwostep.target="$target"
  fi
fi

classpath="bench/$target/classes:$(ls "bench/$target"/lib/*.jar | paste -sd: -)"
# the code under measurement, for the results header
export TWOSTEP_BENCH_REVISION="$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)"
if [ "$main" = all ]; then
  for benchmark in Apply Compile Check Traffic Rehearse Junit; do
    java -cp "$classpath" "dev.twostep.bench.${benchmark}Benchmark" "$@"
  done
else
  exec java -cp "$classpath" "$main" "$@"
fi

#!/usr/bin/env bash
# JMH: nanoseconds per object for the policy engine alone, with a 10,000-entry cluster view.
# Usage: bench/rules.sh [JMH options], e.g. bench/rules.sh -wi 1 -i 3 for a quick run.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests test-compile
cp=$(mvn -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
exec java -cp "target/test-classes:target/classes:$cp" org.openjdk.jmh.Main RuleEvaluationBenchmark "$@"

# Renders bench/run-all.sh's raw rows (TSV) as the Markdown table. Variables: mode, elapsed, cores, load.
#   awk -F'\t' -f bench/table.awk -v mode=full -v elapsed=563 -v cores=2 -v load=1.9 target/bench/STAMP.tsv
  function us(ns) { return sprintf("%.1f µs", ns / 1000) }
  function met(ok) { return ok ? "yes" : "**no**" }
  function row(area, what, result, base, ratio, target, ok) {
    printf "| %s | %s | %s | %s | %s | %s | %s |\n", area, what, result, base, ratio, target, ok
  }
  $1 == "rules" { jmh[$2] = $3; err[$2] = $4 }
  $1 == "baseline" || $1 == "proxyguard" {
    k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4; rps[k] = $5; errors[k] = $7; p50[k] = $8; p99[k] = $9; mx[k] = $10; cpu[k] = $11
  }
  $1 == "rss" { rss[$2] = $3 }
  $1 == "ready" { ready = $2; readyAll = $3 }
  $1 == "ready-cds" { readyCds = $2; readyCdsAll = $3 }
  $1 == "validate" { vwall = $2; vrss = $3 }
  $1 == "view-memory" { viewDeployments[$2] = $3; viewPods[$2] = $4; viewBytes[$2] = $5 }
  END {
    printf "ProxyGuard benchmark (%s run, %s cores, %d s, load average at the end %s)\n\n", mode, cores, elapsed, load
    print "| Area | Case | ProxyGuard | Baseline, same run | Ratio | Target | Met |"
    print "|---|---|---|---|---|---|---|"
    # the targets are for rule evaluation (5 µs per entry, 10 µs per Deployment); fixing (rules re-run after each round
    # of fixes, then the diff) is what /mutate adds, and has none; PG107 among 10,000 workloads is a view of another
    # size: no target, a number to watch
    split("cleanProxyEntry brokenProxyEntry redundantExternalEntry brokenProxyEntryWithPatch cleanDeployment brokenDeployment hiddenProxyDeployment redundantExternalEntryAmongWorkloads", names, " ")
    split("ServiceEntry, clean proxy entry|ServiceEntry, broken proxy entry (findings, as /validate)|ServiceEntry, external entry (PG107)|ServiceEntry, broken proxy entry, fixed until clean + patch (as /mutate)|Deployment, clean|Deployment, broken (PG201, PG203)|Deployment, proxy entry not imported by its Sidecar (PG207)|ServiceEntry, external entry, + 10,000 workloads all proxying it (PG107 on evidence)", labels, "|")
    for (i = 1; i <= 8; i++) {
      n = names[i]; target = n ~ /WithPatch|Workloads/ ? 0 : n ~ /Deployment/ ? 10000 : 5000
      row("Rules (JMH; 10,000 entries, 1,000 Sidecars, 2,000 Namespaces)", labels[i], us(jmh[n]) " ± " us(err[n]), "", "",
          target ? "≤ " target / 1000 " µs" : "", target ? met(jmh[n] <= target) : "")
    }
    split("/validate /mutate", paths, " "); split("h2 h1", protos, " ")
    for (p = 1; p <= 2; p++) for (q = 1; q <= 2; q++) {
      path = paths[p]; proto = protos[q]; label = path " " (proto == "h2" ? "HTTP/2" : "HTTP/1.1")
      k = "proxyguard" SUBSEP path SUBSEP proto SUBSEP "saturation"; b = "baseline" SUBSEP path SUBSEP proto SUBSEP "saturation"
      ratio = rps[b] > 0 ? rps[k] / rps[b] : 0
      row("Admission, saturation", label, sprintf("%d req/s; p50 %.2f, p99 %.2f, max %.1f ms; CPU %.0f µs/req%s", rps[k], p50[k], p99[k], mx[k], cpu[k], errors[k] ? "; " errors[k] " errors" : ""),
          sprintf("%d req/s; p50 %.2f, p99 %.2f ms; CPU %.0f µs/req", rps[b], p50[b], p99[b], cpu[b]),
          sprintf("%.0f%% (CPU: %.0f%%)", 100 * ratio, cpu[k] > 0 ? 100 * cpu[b] / cpu[k] : 0),
          path == "/validate" ? "≥ 70% of baseline" : "", path == "/validate" ? met(ratio >= 0.70 && !errors[k]) : "")
    }
    for (p = 1; p <= 2; p++) for (q = 1; q <= 2; q++) {
      path = paths[p]; proto = protos[q]; label = path " " (proto == "h2" ? "HTTP/2" : "HTTP/1.1")
      k = "proxyguard" SUBSEP path SUBSEP proto SUBSEP "rate"; b = "baseline" SUBSEP path SUBSEP proto SUBSEP "rate"
      row("Admission, 1,000 req/s", label, sprintf("p50 %.2f, p99 %.2f, max %.1f ms (%d req/s%s)", p50[k], p99[k], mx[k], rps[k], errors[k] ? ", " errors[k] " errors" : ""),
          sprintf("p50 %.2f, p99 %.2f ms", p50[b], p99[b]), sprintf("p99 %+.2f ms", p99[k] - p99[b]), "p99 ≤ 2 ms", met(p99[k] <= 2 && !errors[k]))
    }
    row("Start-up", "`serve` to /readyz 200 (median; all runs)", sprintf("%.2f s (%s ms)", ready / 1000, readyAll), "", "", "≤ 2 s", met(ready <= 2000))
    row("Start-up", "the same with the AppCDS archive bench/startup.sh makes", sprintf("%.2f s (%s ms)", readyCds / 1000, readyCdsAll), "", "", "≤ 2 s", met(readyCds <= 2000))
    row("Offline", "`validate` 10,000 manifests, JVM included", sprintf("%.2f s wall, peak RSS %d MiB", vwall, vrss), "", "", "≤ 5 s", met(vwall <= 5))
    row("Memory", "peak RSS under load, chart JVM settings", rss["proxyguard"] " MiB", rss["baseline"] " MiB", "", "≤ 256 MiB", met(rss["proxyguard"] <= 256))
    if ("view" in viewBytes) {
      row("Memory", sprintf("cluster view heap, %d Deployments + %d ReplicaSet-owned Pods (bench/view-memory.sh)", viewDeployments["view"], viewPods["view"]),
          sprintf("%.1f MiB, %d B a Deployment; %d bare Pods: %d B a Pod", viewBytes["view"] / 1048576, viewBytes["view"] / viewDeployments["view"],
                  viewPods["bare-pods"], viewPods["bare-pods"] ? viewBytes["bare-pods"] / viewPods["bare-pods"] : 0),
          sprintf("objects as received: %.0f MiB", viewBytes["as-received"] / 1048576), "", "", "")
    }
  }

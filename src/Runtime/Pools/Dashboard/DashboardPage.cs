using System.Text;

namespace ParallelDsl;

/// <summary>
/// The dashboard's one page: plain HTML, inline style and script, no external resource. The script polls
/// <c>insights.json</c> and fills the page with <c>textContent</c> only (task data never becomes markup).
/// </summary>
internal static class DashboardPage
{
    public static readonly byte[] Html = Encoding.UTF8.GetBytes("""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>ParallelDsl pool dashboard</title>
        <style>
          body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; background: #fafafa; }
          h1 { font-size: 1.3em; margin: 0 0 .6em; }
          .stats { display: flex; gap: 1em; flex-wrap: wrap; margin-bottom: 1em; }
          .stat { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .5em 1em; min-width: 7em; }
          .stat b { display: block; font-size: 1.6em; }
          .stat.failed b { color: #b00020; }
          table { border-collapse: collapse; background: #fff; margin-bottom: 1em; }
          th, td { border: 1px solid #ddd; padding: .3em .6em; text-align: right; }
          th:nth-child(-n+4), td:nth-child(-n+4) { text-align: left; }
          tr.running td.state { color: #0a6; font-weight: bold; }
          tr.replaced td.replaced { color: #b06000; }
          svg { background: #fff; border: 1px solid #ddd; }
          pre { background: #f3f3f3; padding: .5em; overflow-x: auto; }
          #status { color: #777; }
        </style>
        </head>
        <body>
        <h1>Pool <span id="pool">…</span> <small id="status">connecting</small></h1>
        <div class="stats">
          <div class="stat"><b id="stat-rate">0</b>tasks/s</div>
          <div class="stat"><b id="stat-done">0</b>done</div>
          <div class="stat failed"><b id="stat-failed">0</b>failed</div>
          <div class="stat"><b id="stat-retried">0</b>retried</div>
          <div class="stat"><b id="stat-lost">0</b>workers lost</div>
          <div class="stat"><b id="stat-uptime">0 s</b>up</div>
        </div>
        <h2>Throughput (tasks/s, last 10 minutes)</h2>
        <svg id="chart" width="720" height="160" viewBox="0 0 720 160" role="img" aria-label="throughput over time">
          <polyline id="chart-line" fill="none" stroke="#0a6" stroke-width="2" points=""></polyline>
          <text id="chart-max" x="4" y="14" font-size="12" fill="#777"></text>
        </svg>
        <h2>Workers</h2>
        <table>
          <thead><tr><th>slot</th><th>worker</th><th>state</th><th>task</th><th>for</th><th>pid</th><th>memory</th><th>done</th><th>failed</th><th>retried</th><th>lost</th><th>replaced</th></tr></thead>
          <tbody id="workers"></tbody>
        </table>
        <h2>Recent failures</h2>
        <div id="failures"></div>
        <script>
        const cells = ['slot', 'name', 'state', 'task', 'for', 'pid', 'memory', 'done', 'failed', 'retried', 'lost', 'replaced'];
        const text = (id, value) => { document.getElementById(id).textContent = value; };
        const mib = bytes => bytes == null ? '-' : (bytes / 1048576).toFixed(1) + ' MiB';
        function rates(history) {
          const points = [];
          for (let i = 1; i < history.length; i++) {
            const dt = history[i][0] - history[i - 1][0];
            if (dt > 0) points.push([history[i][0], (history[i][1] - history[i - 1][1]) / dt]);
          }
          return points;
        }
        function chart(points) {
          if (points.length === 0) return;
          const t0 = points[0][0], t1 = Math.max(points[points.length - 1][0], t0 + 1);
          const top = Math.max(1, ...points.map(p => p[1]));
          document.getElementById('chart-line').setAttribute('points', points
            .map(p => `${(10 + 700 * (p[0] - t0) / (t1 - t0)).toFixed(1)},${(150 - 130 * p[1] / top).toFixed(1)}`).join(' '));
          text('chart-max', `${top.toFixed(1)} tasks/s`);
        }
        function workers(list) {
          const body = document.getElementById('workers');
          body.replaceChildren(...list.map(w => {
            const row = document.createElement('tr');
            row.dataset.slot = w.slot;
            row.className = `${w.state}${w.lost + w.retired > 0 ? ' replaced' : ''}`;
            const values = {
              slot: w.slot, name: w.name ?? '-', state: w.state, task: w.task == null ? '' : `${w.task} #${w.inputIndex}`,
              for: w.task == null ? '' : w.runningForSeconds.toFixed(1) + ' s', pid: w.pid ?? '-', memory: mib(w.residentBytes),
              done: w.done, failed: w.failed, retried: w.retried, lost: w.lost,
              replaced: w.previous == null ? '' : `${w.started - 1}× (last: ${w.previous})`,
            };
            for (const name of cells) {
              const cell = document.createElement('td');
              cell.className = name;
              cell.textContent = values[name];
              row.appendChild(cell);
            }
            return row;
          }));
        }
        function failures(list) {
          document.getElementById('failures').replaceChildren(...list.slice().reverse().map(f => {
            const item = document.createElement('details');
            item.className = 'failure';
            const summary = document.createElement('summary');
            summary.textContent = `${f.at} ${f.task} #${f.inputIndex} on ${f.worker ?? '?'}: ${f.type}: ${f.message}`;
            const trace = document.createElement('pre');
            trace.textContent = f.stackTrace ?? '';
            item.append(summary, trace);
            return item;
          }));
        }
        async function poll() {
          try {
            const response = await fetch('insights.json', { cache: 'no-store' });
            const data = await response.json();
            text('pool', data.pool);
            text('stat-done', data.tasksDone);
            text('stat-failed', data.tasksFailed);
            text('stat-retried', data.tasksRetried);
            text('stat-lost', data.workersLost);
            text('stat-uptime', data.uptimeSeconds.toFixed(0) + ' s');
            const points = rates(data.history);
            text('stat-rate', points.length ? points[points.length - 1][1].toFixed(1) : '0');
            chart(points);
            workers(data.workers);
            failures(data.failures);
            document.body.dataset.updated = String(Date.now());
            text('status', 'live');
          } catch (error) {
            text('status', 'disconnected');
          }
          setTimeout(poll, 500);
        }
        poll();
        </script>
        </body>
        </html>
        """);
}

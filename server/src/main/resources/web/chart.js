// The time series: events, visitors and sessions per bucket (GET stats/timeseries) drawn with uPlot, in the
// app's zone; with "compare" on, the previous period's events as a dashed line over the same buckets. A table
// of the same numbers sits under the chart for screen readers and for anyone who wants the figures.

import { h } from './dom.js';
import * as fmt from './format.js';
import { num } from './panel.js';

const SERIES = [
  { key: 'events', label: 'Events', color: '#4f46e5' },
  { key: 'visitors', label: 'Visitors', color: '#0d9488' },
  { key: 'sessions', label: 'Sessions', color: '#d97706' },
];
const HEIGHT = 260;

/** Returns {el, destroy}; the chart follows its container's width. */
export function timeseriesChart(series, previous, zone) {
  const buckets = series.buckets;
  const xs = buckets.map((b) => Date.parse(b.start + b.offset) / 1000);
  const label = bucketLabel(series.interval, zone);
  const plot = h('div', { class: 'chart', role: 'img', 'aria-label': `Events, visitors and sessions per ${series.interval}` });
  const table = dataTable(buckets, xs, label);
  const el = h('div', { class: 'chart-wrap' }, plot, table);
  const Plot = window.uPlot;
  if (!Plot) {
    plot.append(h('p', { class: 'notice' }, 'The chart library did not load; the figures are in the table below.'));
    return { el, destroy() {} };
  }
  const data = [xs, ...SERIES.map((s) => buckets.map((b) => b[s.key]))];
  const lines = SERIES.map((s) => ({
    label: s.label,
    stroke: s.color,
    width: 2,
    fill: s.key === 'events' ? 'rgba(79,70,229,0.08)' : undefined,
    points: { show: buckets.length <= 60, size: 5 },
    value: (u, v) => (v == null ? '' : fmt.number(v)),
  }));
  if (previous) {
    data.push(buckets.map((_, i) => previous.buckets[i]?.events ?? null));
    lines.push({ label: 'Events, previous period', stroke: '#9ca3af', width: 1.5, dash: [6, 4], points: { show: false },
      value: (u, v) => (v == null ? '' : fmt.number(v)) });
  }
  const options = {
    width: 600,
    height: HEIGHT,
    tzDate: (ts) => Plot.tzDate(new Date(ts * 1000), zone),
    padding: [12, 28, 0, 4], // room for the last date label
    cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    legend: { live: true },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(4, max * 1.1)] } },
    // Away from the chart the legend names the lines only (no row of dashes); on a point it gives its figures.
    series: [{ label: 'Time', value: (u, ts) => (ts == null ? 'point at the chart' : label(ts)) }, ...lines],
    axes: [
      { stroke: '#4b5563', grid: { stroke: '#eef0f4', width: 1 }, ticks: { show: false }, font: '12px system-ui, sans-serif',
        values: (u, ticks) => ticks.map(axisLabel(series.interval, zone)),
        // Ticks on bucket starts only (uPlot's own would put several on one day), thinned to fit the width.
        splits: (u) => {
          const room = Math.max(2, Math.floor(u.bbox.width / devicePixelRatio / 72));
          const step = Math.ceil(xs.length / room);
          return xs.filter((_, i) => i % step === 0);
        } },
      { stroke: '#4b5563', grid: { stroke: '#eef0f4', width: 1 }, ticks: { show: false }, size: 52,
        font: '12px system-ui, sans-serif', values: (u, ticks) => ticks.map((t) => fmt.short(t)) },
    ],
  };
  const chart = new Plot(options, data, plot);
  const fit = () => {
    const width = Math.max(280, Math.floor(plot.clientWidth));
    if (width !== chart.width) chart.setSize({ width, height: HEIGHT });
  };
  const watch = new ResizeObserver(fit);
  watch.observe(plot);
  requestAnimationFrame(fit);
  return {
    el,
    destroy() {
      watch.disconnect();
      chart.destroy();
    },
  };
}

/** Tick labels in the locale: hours as times, days and weeks as short dates, months as month and year. */
function axisLabel(interval, zone) {
  const options = {
    hour: { hour: '2-digit', minute: '2-digit' },
    day: { day: 'numeric', month: 'short' },
    week: { day: 'numeric', month: 'short' },
    month: { month: 'short', year: '2-digit' },
  }[interval] || { day: 'numeric', month: 'short' };
  const f = new Intl.DateTimeFormat(navigator.language, { timeZone: zone, ...options });
  return (ts) => f.format(new Date(ts * 1000));
}

function bucketLabel(interval, zone) {
  const options = {
    hour: { weekday: 'short', hour: '2-digit', minute: '2-digit' },
    day: { weekday: 'short', day: 'numeric', month: 'short' },
    week: { day: 'numeric', month: 'short', year: 'numeric' },
    month: { month: 'long', year: 'numeric' },
  }[interval] || { dateStyle: 'medium' };
  const f = new Intl.DateTimeFormat(navigator.language, { timeZone: zone, ...options });
  const prefix = interval === 'week' ? 'Week of ' : '';
  return (ts) => prefix + f.format(new Date(ts * 1000));
}

function dataTable(buckets, xs, label) {
  return h('details', { class: 'chart-table' },
    h('summary', null, 'Show the figures as a table'),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'data' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Period'),
          SERIES.map((s) => h('th', { scope: 'col', class: 'right' }, s.label)))),
        h('tbody', null, buckets.map((b, i) => h('tr', { dataset: { start: b.start } },
          h('th', { scope: 'row' }, label(xs[i])),
          SERIES.map((s) => h('td', { class: 'right' }, num(b[s.key], fmt.number(b[s.key]))))))))));
}

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { auditsCsv } from './csv.ts'
import type { RecentAudit } from './queries.ts'

const audit: RecentAudit = {
  id: 7,
  episodeId: 12,
  sampleId: 3,
  auditedAt: new Date('2026-11-02T10:00:00Z'),
  scale: 'good-satisfactory-poor',
  checklist: { consent: 'yes', copy: 'no' },
  judgements: { detail: 'good', needs: 'good', strengths: 'good', risks: 'poor', outcomes: 'good', overall: 'good' },
  acknowledgedAt: null,
  auditor: 'Callum "the hub" Reid',
  agency: '=HYPERLINK("https://example.com","Click")',
  locality: '+North',
  moderated: { detail: 'good', needs: 'good', strengths: 'good', risks: 'poor', outcomes: 'good', overall: 'satisfactory' },
  overall: 'Satisfactory',
  good: false,
}

test('the download quotes every cell, and no cell can be read as a formula', () => {
  const [head, row] = auditsCsv([audit]).split('\r\n')
  assert.match(head!, /^"Audit","Audited on","CAF episode"/)
  const cells = row!.match(/"(?:[^"]|"")*"/g)!.map((c) => c.slice(1, -1).replace(/""/g, '"'))
  assert.deepEqual(cells.slice(0, 7), ['7', '2026-11-02', '12', '3', `'=HYPERLINK("https://example.com","Click")`, "'+North", 'Callum "the hub" Reid'])
  assert.deepEqual(cells.slice(7, 13), ['Good', 'Good', 'Good', 'Poor', 'Good', 'Good'], 'the first judgements')
  assert.equal(cells[18], 'Satisfactory', 'the moderated overall')
  assert.equal(cells[19], 'No', 'judged good or better: the moderated one stands')
  assert.deepEqual([cells[20], cells.at(-2), cells.at(-1)], ['Yes', 'Missing', ''], 'consent yes, copy missing, not yet acknowledged')
})

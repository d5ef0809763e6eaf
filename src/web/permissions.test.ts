import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, rolesAllow, type Permission } from './permissions.ts'

test('every role maps only to declared permissions, and every signed-in role may use signed-in pages', () => {
  for (const role of ROLES) {
    for (const p of ROLE_PERMISSIONS[role]) assert.ok(Object.hasOwn(PERMISSIONS, p), `${role} has unknown permission ${p}`)
    assert.ok(rolesAllow([role], 'signed-in'))
  }
})

test('only administrators manage the organisation, users and the audit log', () => {
  const adminOnly: Permission[] = ['admin.organisation', 'admin.users', 'audit.read']
  for (const role of ROLES) {
    for (const p of adminOnly) assert.equal(rolesAllow([role], p), role === 'administrator', `${role} / ${p}`)
  }
})

test('an unknown role grants nothing', () => {
  assert.equal(rolesAllow(['superuser'], 'signed-in'), false)
  assert.equal(rolesAllow([], 'signed-in'), false)
})

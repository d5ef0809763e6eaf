/**
 * Roles and permissions: the one table of code that says who may do what.
 * Every route declares one of these permissions; the router refuses to register a route that does not.
 */
export const ROLES = ['practitioner', 'coordinator', 'manager', 'panel_member', 'social_care', 'administrator', 'data_team'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  practitioner: 'Practitioner',
  coordinator: 'CAF coordinator (the hub)',
  manager: 'Manager',
  panel_member: 'Panel member',
  social_care: 'Social care worker',
  administrator: 'Administrator',
  data_team: 'Data team (reports and returns)',
}

export const PERMISSIONS = {
  public: 'Anyone, without signing in',
  'signed-in': 'Any signed-in user of the council',
  'admin.organisation': 'Manage localities, agencies and the child population',
  'admin.users': 'Manage user accounts and roles',
  'audit.read': 'Search the audit log',
  'person.search': 'Search the register of children and adults ("Is there already a CAF?")',
  'person.view': "Open a person's record (need to know is checked for each record)",
  'person.create': 'Add people to the register and keep their details up to date',
  'person.merge': 'Merge two records of the same person',
  'break-glass.review': 'Review access to records made by breaking the glass',
  'episode.view': 'Open a CAF episode (need to know is checked for each episode)',
  'episode.work': 'Start CAF episodes and work on them: pre-assessment, assessment, consent, team and lead professional',
  'episode.follow-up': 'Follow up intentions to assess that have not become assessments',
  'qa.audit': 'Draw samples of CAF episodes, audit their quality, moderate audits and see the quality assurance page',
  'services.view': 'Search the directory of services, with their measured waiting times',
  'services.manage': 'Add services to the directory and keep them up to date',
  'panel.view': 'See the multi-agency panel meetings they chair or sit on, and the gaps in local services the panel found',
  'panel.manage': 'Arrange multi-agency panel meetings and choose their chairs and members',
  'social-care.work': 'Send contacts to early help, step families down to early help, and decide step ups (children’s social care)',
  'interface.view': 'See the lists of the social care interface: notifications, step ups and step downs, with the children they are about',
  'interface.counts': 'See the counts of notifications, step ups and step downs by month',
  'reports.view': 'See the reports: the council’s figures, or for a manager their agency’s',
  'reports.council': 'See the reports for the whole council, not only their own agency',
  'inspection.export': 'Download the inspection exports (Ofsted Annex A, the children with an episode): lists of children',
  'queues.view': 'See the work queues (what is overdue or due) for the families in their scope: the council, their agency or their own',
} as const
export type Permission = keyof typeof PERMISSIONS

const SIGNED_IN: Permission[] = ['signed-in']
const CASEWORK: Permission[] = [...SIGNED_IN, 'person.search', 'person.view', 'person.create', 'episode.view', 'episode.work', 'services.view']

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  practitioner: [...CASEWORK, 'queues.view'],
  coordinator: [
    ...CASEWORK,
    'queues.view',
    'person.merge',
    'break-glass.review',
    'episode.follow-up',
    'qa.audit',
    'services.manage',
    'panel.view',
    'panel.manage',
    'interface.view',
    'interface.counts',
    'reports.view',
    'reports.council',
    'inspection.export',
  ],
  manager: [...SIGNED_IN, 'person.search', 'person.view', 'episode.view', 'queues.view', 'services.view', 'panel.view', 'interface.counts', 'reports.view'],
  panel_member: [...SIGNED_IN, 'person.search', 'person.view', 'episode.view', 'services.view', 'panel.view'],
  social_care: [...CASEWORK, 'queues.view', 'social-care.work', 'interface.view', 'interface.counts'],
  // Administrators configure the council; they do no casework and so do not see children's records.
  administrator: [...SIGNED_IN, 'admin.organisation', 'admin.users', 'audit.read', 'services.view', 'services.manage'],
  // The council's data team counts and returns the figures; it does no casework and opens no record.
  data_team: [...SIGNED_IN, 'reports.view', 'reports.council', 'inspection.export', 'interface.counts'],
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.hasOwn(PERMISSIONS, value)
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** The roles that hold a permission: for a query that must find such users. */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission))
}

/** Whether a user with these roles holds the permission. 'public' needs no user at all. */
export function rolesAllow(roles: readonly string[], permission: Permission): boolean {
  if (permission === 'public') return true
  return roles.some((r) => isRole(r) && ROLE_PERMISSIONS[r].includes(permission))
}

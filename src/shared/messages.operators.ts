// Texts of the four-eyes rule and of changes to operator accounts (warnings,
// approvals by a second admin), in Indonesian (the default) and English;
// merged into the one catalogue of messages.ts.
export const idOperators = {
  'problem.four_eyes.detail.linked':
    'Anda dan operator yang mengusulkan atau meminta ini tidak dihitung sebagai dua orang: dalam {days} hari terakhir salah satu dari Anda membuat, mengaktifkan kembali, mereset, atau mengubah peran akun yang lain. Operator lain yang harus memutuskan.',
  'problem.four_eyes.detail.requester':
    'Perubahan operator harus disetujui oleh admin selain yang memintanya.',
  'problem.four_eyes.detail.own_account':
    'Perubahan pada akun Anda sendiri diputuskan oleh admin lain.',
  'problem.already_pending.detail.operator_change':
    'Perubahan yang sama untuk operator ini sudah menunggu persetujuan.',
  'mediation.confirm.linked':
    'Anda tidak dapat mengonfirmasi usulan ini: akun Anda dan akun pengusul saling terkait (salah satunya membuat, mengaktifkan kembali, mereset, atau mengubah peran akun yang lain) hingga {until}. Operator lain yang mengonfirmasinya.',
  'admin.audit.action.operator.change_requested':
    'Perubahan operator diminta (menunggu admin kedua)',
  'admin.audit.action.operator.change_approved': 'Perubahan operator disetujui admin kedua',
  'admin.audit.action.operator.change_rejected': 'Perubahan operator ditolak atau ditarik',
  'admin.audit.operatorChanges': 'Hanya perubahan akun operator',
  'admin.audit.operatorChanges.hint':
    'Operator dibuat, diaktifkan kembali, direset, atau diubah perannya: ditandai sebagai peringatan.',
  'admin.operator.info.requested':
    'Permintaan dicatat: perubahan berlaku setelah admin lain menyetujuinya.',
  'admin.changes.marker': 'Perubahan operator',
  'admin.changes.title': 'Perubahan akun operator',
  'admin.changes.pending.one': '{count} perubahan operator menunggu persetujuan admin kedua.',
  'admin.changes.pending.other': '{count} perubahan operator menunggu persetujuan admin kedua.',
  'admin.changes.lead':
    'Dalam {days} hari terakhir. Operator yang membuat, mengaktifkan kembali, mereset, atau mengubah peran akun operator lain tidak dihitung sebagai orang kedua bagi operator itu dalam keputusan dua petugas selama {days} hari.',
  'admin.changes.none': 'Tidak ada perubahan akun operator dalam {days} hari terakhir.',
  'admin.changes.more.one': 'Dan {count} lagi di log audit.',
  'admin.changes.more.other': 'Dan {count} lagi di log audit.',
  'admin.changes.toAudit': 'Lihat semua perubahan operator di log audit',
  'admin.changes.line.operator.created': '{by} membuat akun {operator}',
  'admin.changes.line.operator.enabled': '{by} mengaktifkan kembali {operator}',
  'admin.changes.line.operator.password_reset':
    '{by} membuat kata sandi sekali pakai baru untuk {operator}',
  'admin.changes.line.operator.totp_reset': '{by} mengatur ulang autentikator {operator}',
  'admin.changes.line.operator.roles_changed': '{by} mengubah peran {operator}',
  'admin.changes.requestedBy': 'Diminta oleh {email}, disetujui oleh admin di atas.',
  'admin.changes.kind.create': 'Buat operator {email}',
  'admin.changes.kind.enable': 'Aktifkan kembali {email}',
  'admin.changes.kind.roles': 'Ubah peran {email}',
  'admin.changes.kind.password_reset': 'Kata sandi sekali pakai baru untuk {email}',
  'admin.changes.kind.totp_reset': 'Atur ulang autentikator {email}',
  'admin.changes.yourAccount':
    'Perubahan ini untuk akun Anda sendiri: admin lain yang memutuskannya.',
  'admin.changes.yours': 'Permintaan Anda: admin lain harus menyetujuinya.',
  'admin.changes.approve': 'Setujui',
  'admin.changes.reject': 'Tolak',
  'admin.changes.withdraw': 'Tarik permintaan',
  'admin.changes.requestedByLabel': 'Diminta oleh',
  'admin.changes.status.pending': 'Menunggu persetujuan',
  'admin.changes.status.approved': 'Disetujui',
  'admin.changes.status.rejected': 'Ditolak',
  'admin.changes.decidedBy': 'Diputuskan oleh',
  'admin.changes.decided': 'Sudah diputuskan',
  'admin.changes.requests': 'Permintaan perubahan operator',
  'admin.changes.requests.lead':
    'Membuat, mengaktifkan kembali, dan mereset operator serta mengubah peran menunggu persetujuan admin kedua, yang bukan pemintanya dan tidak terkait dengannya. Kata sandi sekali pakai ditampilkan sekali, kepada admin yang menyetujui.',
  'admin.changes.requests.off':
    'Persetujuan admin kedua tidak diwajibkan: perubahan operator langsung berlaku. Daftar ini menunjukkan permintaan sebelumnya.',
  'admin.changes.requests.none': 'Tidak ada permintaan yang menunggu.',
  'admin.changes.info.requested':
    'Permintaan dicatat. Admin lain harus menyetujuinya sebelum berlaku.',
  'admin.changes.info.approved': 'Perubahan disetujui dan sudah berlaku.',
  'admin.changes.info.rejected': 'Permintaan ditolak.',
  'admin.changes.approved': 'Perubahan disetujui',
  'admin.changes.needApproval':
    'Perubahan di sini (kecuali menonaktifkan) menunggu persetujuan admin lain.',
  'admin.tickets.title': 'Cari nomor tiket',
  'admin.tickets.label': 'Nomor tiket',
  'admin.tickets.hint':
    'Misalnya LAP-7K3Q-9M2X, REG-… atau NOR-…; huruf kecil dan tanpa tanda hubung juga bisa.',
  'admin.tickets.submit': 'Cari',
  'admin.tickets.search': 'Cari tiket',
  'admin.tickets.invalid': 'Ini bukan nomor tiket. Nomor tiket berbentuk LAP-7K3Q-9M2X.',
  'admin.tickets.notFound':
    'Tidak ada laporan, pendaftaran atau permohonan dengan nomor tiket {ticket}.',
};

export const enOperators: Record<keyof typeof idOperators, string> = {
  'problem.four_eyes.detail.linked':
    'You and the operator who proposed or requested this do not count as two people: within the last {days} days one of you created, re-enabled, reset or changed the roles of the other’s account. Another operator must decide.',
  'problem.four_eyes.detail.requester':
    'An operator change must be approved by an admin other than the one who asked for it.',
  'problem.four_eyes.detail.own_account':
    'A change to your own account is decided by another admin.',
  'problem.already_pending.detail.operator_change':
    'The same change for this operator is already waiting for approval.',
  'mediation.confirm.linked':
    'You cannot confirm this proposal: your account and the proposer’s are linked (one of them created, re-enabled, reset or changed the roles of the other) until {until}. Another operator confirms it.',
  'admin.audit.action.operator.change_requested':
    'Operator change requested (waits for a second admin)',
  'admin.audit.action.operator.change_approved': 'Operator change approved by a second admin',
  'admin.audit.action.operator.change_rejected': 'Operator change rejected or withdrawn',
  'admin.audit.operatorChanges': 'Only changes to operator accounts',
  'admin.audit.operatorChanges.hint':
    'Operators created, re-enabled, reset or given other roles: marked as warnings.',
  'admin.operator.info.requested':
    'Request recorded: the change takes effect once another admin approves it.',
  'admin.changes.marker': 'Operator change',
  'admin.changes.title': 'Changes to operator accounts',
  'admin.changes.pending.one': '{count} operator change waits for a second admin’s approval.',
  'admin.changes.pending.other': '{count} operator changes wait for a second admin’s approval.',
  'admin.changes.lead':
    'In the last {days} days. An operator who created, re-enabled, reset or changed the roles of another operator’s account does not count as the second person to that operator in a four-eyes decision for {days} days.',
  'admin.changes.none': 'No changes to operator accounts in the last {days} days.',
  'admin.changes.more.one': 'And {count} more in the audit log.',
  'admin.changes.more.other': 'And {count} more in the audit log.',
  'admin.changes.toAudit': 'See every operator change in the audit log',
  'admin.changes.line.operator.created': '{by} created the account {operator}',
  'admin.changes.line.operator.enabled': '{by} re-enabled {operator}',
  'admin.changes.line.operator.password_reset':
    '{by} issued a new one-time password for {operator}',
  'admin.changes.line.operator.totp_reset': '{by} reset the authenticator of {operator}',
  'admin.changes.line.operator.roles_changed': '{by} changed the roles of {operator}',
  'admin.changes.requestedBy': 'Requested by {email}, approved by the admin above.',
  'admin.changes.kind.create': 'Create the operator {email}',
  'admin.changes.kind.enable': 'Enable {email} again',
  'admin.changes.kind.roles': 'Change the roles of {email}',
  'admin.changes.kind.password_reset': 'New one-time password for {email}',
  'admin.changes.kind.totp_reset': 'Reset the authenticator of {email}',
  'admin.changes.yourAccount': 'This change is for your own account: another admin decides it.',
  'admin.changes.yours': 'Your request: another admin must approve it.',
  'admin.changes.approve': 'Approve',
  'admin.changes.reject': 'Reject',
  'admin.changes.withdraw': 'Withdraw the request',
  'admin.changes.requestedByLabel': 'Requested by',
  'admin.changes.status.pending': 'Waiting for approval',
  'admin.changes.status.approved': 'Approved',
  'admin.changes.status.rejected': 'Rejected',
  'admin.changes.decidedBy': 'Decided by',
  'admin.changes.decided': 'Decided',
  'admin.changes.requests': 'Operator change requests',
  'admin.changes.requests.lead':
    'Creating, re-enabling and resetting operators and changing roles wait for a second admin, who is not the requester and not linked to them. A one-time password is shown once, to the approving admin.',
  'admin.changes.requests.off':
    'A second admin’s approval is not required: operator changes take effect at once. This list shows earlier requests.',
  'admin.changes.requests.none': 'No request is waiting.',
  'admin.changes.info.requested':
    'Request recorded. Another admin must approve it before it takes effect.',
  'admin.changes.info.approved': 'Change approved; it has taken effect.',
  'admin.changes.info.rejected': 'Request rejected.',
  'admin.changes.approved': 'Change approved',
  'admin.changes.needApproval':
    'Changes here (except disabling) wait for another admin’s approval.',
  'admin.tickets.title': 'Find a ticket number',
  'admin.tickets.label': 'Ticket number',
  'admin.tickets.hint':
    'For example LAP-7K3Q-9M2X, REG-… or NOR-…; lower case and no dashes work too.',
  'admin.tickets.submit': 'Find',
  'admin.tickets.search': 'Find a ticket',
  'admin.tickets.invalid': 'This is not a ticket number. A ticket number looks like LAP-7K3Q-9M2X.',
  'admin.tickets.notFound': 'No report, registration or request has ticket number {ticket}.',
};

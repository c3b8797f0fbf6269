// Texts of "checked by N clients" on the result page and the statistics
// page, and of the operators' early warning on the back-office dashboard, in
// Indonesian (the default) and English; merged into messages.ts.
export const idCheckCounts = {
  'checked.heading': 'Dicek dalam 30 hari terakhir',
  'checked.none': 'Belum ada yang mengecek rekening ini dalam 30 hari terakhir.',
  'checked.1+': 'Dicek oleh 1 pengguna atau lebih dalam 30 hari terakhir (termasuk Anda).',
  'checked.10+': 'Dicek oleh 10 pengguna atau lebih dalam 30 hari terakhir.',
  'checked.100+': 'Dicek oleh 100 pengguna atau lebih dalam 30 hari terakhir.',
  'checked.1000+': 'Dicek oleh 1.000 pengguna atau lebih dalam 30 hari terakhir.',
  'checked.note':
    'Angka ini perkiraan kasar dan sengaja dibulatkan ke bawah (1+, 10+, 100+, 1.000+), agar tidak bisa dipakai untuk memantau minat satu orang. Setiap pengguna dihitung sekali sehari. Pengecekan massal oleh mitra dan pencarian privat berdasarkan awalan hash tidak dihitung; pencarian privat memang dirancang agar kami tidak tahu rekening mana yang dicari.',
  'admin.earlyWarning.title': 'Peringatan dini: rekening yang ramai dicek',
  'admin.earlyWarning.lead':
    'Rekening tanpa laporan terverifikasi yang dicek oleh sedikitnya {min} pengguna berbeda dalam 24 jam terakhir, yang kenaikannya tercepat lebih dulu. Angkanya perkiraan (batas atas). Hanya untuk petugas.',
  'admin.earlyWarning.caption':
    'Pengguna berbeda yang mengecek, 24 jam terakhir dibanding 24 jam sebelumnya',
  'admin.earlyWarning.account': 'Rekening',
  'admin.earlyWarning.recent': '24 jam terakhir',
  'admin.earlyWarning.previous': '24 jam sebelumnya',
  'admin.earlyWarning.pending': 'Laporan menunggu',
  'admin.earlyWarning.pendingNone': 'Tidak ada',
  'admin.earlyWarning.report': 'Laporan #{id}',
  'admin.earlyWarning.none': 'Tidak ada rekening yang melewati ambang {min} pengguna saat ini.',
  'statistics.checked.title': 'Berapa kali rekening dicek',
  'statistics.checked.text':
    'Halaman hasil dan API cek menunjukkan kira-kira berapa pengguna berbeda yang mengecek sebuah rekening dalam 30 hari terakhir, dalam kelompok kasar (belum ada, 1+, 10+, 100+, 1.000+). Pengecekan massal oleh mitra tidak dihitung, dan pencarian privat berdasarkan awalan hash tidak dapat dihitung: pencarian itu dirancang agar kami tidak tahu rekening mana yang dicari.',
} as const;

export const enCheckCounts: Record<keyof typeof idCheckCounts, string> = {
  'checked.heading': 'Checked in the last 30 days',
  'checked.none': 'Nobody has checked this account in the last 30 days.',
  'checked.1+': 'Checked by 1 or more people in the last 30 days (you included).',
  'checked.10+': 'Checked by 10 or more people in the last 30 days.',
  'checked.100+': 'Checked by 100 or more people in the last 30 days.',
  'checked.1000+': 'Checked by 1,000 or more people in the last 30 days.',
  'checked.note':
    'This figure is a rough estimate, deliberately rounded down (1+, 10+, 100+, 1,000+) so that it cannot be used to watch one person’s interest. Each person is counted once a day. Bulk checks by partners and private lookups by hash prefix are not counted; the private lookup is designed so that we never learn which account was looked up.',
  'admin.earlyWarning.title': 'Early warning: accounts checked by many',
  'admin.earlyWarning.lead':
    'Accounts without a verified report that at least {min} distinct clients checked in the last 24 hours, fastest rising first. The figures are estimates (upper bounds). Operators only.',
  'admin.earlyWarning.caption':
    'Distinct clients who checked, the last 24 hours against the 24 hours before',
  'admin.earlyWarning.account': 'Account',
  'admin.earlyWarning.recent': 'Last 24 hours',
  'admin.earlyWarning.previous': 'The 24 hours before',
  'admin.earlyWarning.pending': 'Reports waiting',
  'admin.earlyWarning.pendingNone': 'None',
  'admin.earlyWarning.report': 'Report #{id}',
  'admin.earlyWarning.none': 'No account is over the threshold of {min} clients right now.',
  'statistics.checked.title': 'How often accounts are checked',
  'statistics.checked.text':
    'The result page and the check API show roughly how many distinct people checked an account in the last 30 days, in coarse steps (none, 1+, 10+, 100+, 1,000+). Bulk checks by partners are not counted, and private lookups by hash prefix cannot be: that lookup is designed so that we never learn which account was looked up.',
};

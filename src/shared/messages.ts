// Every human text of the API, the public pages and the back office, in Indonesian (the
// default) and English. `en` must have every key `id` has: the type says so.
import { format, type Lang } from './i18n.ts';
import type { ErrorCode } from './errors.ts';
import { enReports, idReports } from './messages.reports.ts';
import { enReview, idReview } from './messages.review.ts';
import { enRegistrations, idRegistrations } from './messages.registrations.ts';
import { enNormalizations, idNormalizations } from './messages.normalizations.ts';
import { enOperators, idOperators } from './messages.operators.ts';
import { enPartners, idPartners } from './messages.partners.ts';
import { enPartnerReports, idPartnerReports } from './messages.partner-reports.ts';
import { enWatches, idWatches } from './messages.watches.ts';
import { enWebhooks, idWebhooks } from './messages.webhooks.ts';
import { enStatistics, idStatistics } from './messages.statistics.ts';
import { enFigures, idFigures } from './messages.figures.ts';
import { enCheckCounts, idCheckCounts } from './messages.check-counts.ts';

const core = {
  'problem.bad_request.title': 'Permintaan tidak valid',
  'problem.validation_failed.title': 'Data yang dikirim tidak valid',
  'problem.invalid_provider.title': 'Bank atau e-wallet tidak dikenal',
  'problem.invalid_account_number.title': 'Nomor rekening tidak valid',
  'problem.invalid_prefix.title': 'Awalan hash tidak valid',
  'problem.not_found.title': 'Tidak ditemukan',
  'problem.method_not_allowed.title': 'Metode tidak diizinkan',
  'problem.uri_too_long.title': 'Alamat terlalu panjang',
  'problem.payload_too_large.title': 'Data yang dikirim terlalu besar',
  'problem.request_timeout.title': 'Waktu pengiriman habis',
  'problem.unsupported_media_type.title': 'Jenis konten tidak didukung',
  'problem.unauthorized.title': 'Perlu masuk',
  'problem.unauthorized.detail': 'Masuk sebagai operator untuk melanjutkan.',
  'problem.invalid_credentials.title': 'E-mail atau kata sandi salah',
  'problem.invalid_credentials.detail': 'Periksa e-mail dan kata sandi Anda, lalu coba lagi.',
  'problem.totp_required.title': 'Kode autentikator diperlukan',
  'problem.totp_required.detail':
    'Masukkan kode 6 angka yang benar dari aplikasi autentikator Anda.',
  'problem.forbidden.title': 'Tidak diizinkan',
  'problem.forbidden.detail': 'Peran Anda tidak mengizinkan tindakan ini.',
  'problem.csrf_failed.title': 'Permintaan ditolak',
  'problem.csrf_failed.detail':
    'Token keamanan formulir tidak cocok. Muat ulang halaman lalu coba lagi.',
  'problem.enrollment_required.title': 'Selesaikan pendaftaran autentikator',
  'problem.enrollment_required.detail': 'Daftarkan aplikasi autentikator sebelum melanjutkan.',
  'problem.password_change_required.title': 'Ganti kata sandi',
  'problem.password_change_required.detail':
    'Ganti kata sandi sekali pakai Anda sebelum melanjutkan.',
  'problem.operator_exists.title': 'Operator sudah ada',
  'problem.operator_exists.detail': 'Sudah ada operator dengan e-mail ini.',
  'problem.unsupported_file_type.title': 'Jenis berkas tidak didukung',
  'problem.unsupported_file_type.detail': 'Kirim berkas JPEG, PNG, WebP atau PDF.',
  'file.pdf_encrypted':
    'PDF terenkripsi atau berkata sandi tidak dapat diperiksa; kirim tanpa kata sandi.',
  'file.pdf_unreadable':
    'PDF ini tidak dapat dibaca; simpan ulang atau cetak ke PDF, lalu kirim lagi.',
  'file.pdf_active_content':
    'PDF berisi skrip, tindakan otomatis, lampiran atau formulir aktif; cetak ke PDF biasa, lalu kirim lagi.',
  'problem.too_many_files.title': 'Terlalu banyak berkas',
  'problem.too_many_files.detail': 'Kirim paling banyak {max} berkas.',
  'problem.too_many_accounts.title': 'Terlalu banyak rekening',
  'problem.too_many_accounts.detail':
    'Satu permintaan memeriksa paling banyak {max} rekening; bagi menjadi beberapa permintaan.',
  'problem.challenge_failed.title': 'Verifikasi anti-robot gagal',
  'problem.challenge_failed.detail': 'Muat ulang halaman dan kirim lagi.',
  'problem.challenge_required.title': 'Verifikasi anti-robot diperlukan',
  'problem.challenge_required.detail':
    'Kirim jawaban tantangan dari /api/v1/challenge di kolom altcha, atau gunakan kunci API mitra.',
  'problem.unavailable.title': 'Layanan sedang tidak tersedia',
  'problem.unavailable.detail':
    'Basis data sedang tidak dapat dihubungi. Coba lagi dalam {seconds} detik.',
  'problem.duplicate_report.title': 'Laporan sudah ada',
  'problem.duplicate_report.detail':
    'Anda sudah punya laporan yang masih diproses untuk rekening ini.',
  'problem.already_decided.title': 'Sudah diputuskan',
  'problem.already_decided.detail': 'Permohonan ini sudah diputuskan sebelumnya.',
  'problem.already_claimed.title': 'Sedang ditangani operator lain',
  'problem.already_claimed.detail': 'Operator lain sedang menangani ini. Coba lagi nanti.',
  'problem.already_registered.title': 'Rekening sudah terdaftar',
  'problem.already_registered.detail':
    'Rekening ini sudah terverifikasi sebagai penjual atau pendaftarannya masih diproses.',
  'problem.nothing_to_normalize.title': 'Tidak ada yang perlu dinormalisasi',
  'problem.nothing_to_normalize.detail': 'Rekening ini tidak memiliki laporan terverifikasi.',
  'problem.already_pending.title': 'Permohonan masih diproses',
  'problem.already_pending.detail':
    'Sudah ada permohonan normalisasi yang masih diproses untuk rekening ini.',
  'problem.four_eyes.title': 'Perlu operator lain',
  'problem.four_eyes.detail': 'Usulan harus dikonfirmasi oleh operator selain pengusulnya.',
  'operator.email_invalid': 'Masukkan alamat e-mail yang valid.',
  'operator.roles_invalid':
    'Pilih paling sedikit satu peran yang dikenal (admin, reviewer, registrar, mediator).',
  'operator.not_yourself': 'Anda tidak dapat menonaktifkan akun Anda sendiri.',
  'operator.keep_own_admin': 'Anda tidak dapat mencabut peran admin Anda sendiri.',
  'password.current_wrong': 'Kata sandi saat ini salah.',
  'password.unchanged': 'Kata sandi baru harus berbeda dari yang lama.',
  'audit.range_invalid': 'Tanggal awal harus sebelum tanggal akhir.',
  'password.too_short': 'Kata sandi minimal 12 karakter.',
  'password.too_long': 'Kata sandi maksimal 256 karakter.',
  'password.contains_email': 'Kata sandi tidak boleh memuat nama e-mail Anda.',
  'password.too_simple':
    'Kata sandi terlalu sederhana: gunakan lebih banyak karakter yang berbeda.',
  'problem.rate_limited.title': 'Terlalu banyak permintaan',
  'problem.service_unavailable.title': 'Layanan sedang tidak tersedia',
  'problem.internal_error.title': 'Terjadi kesalahan pada server',

  'problem.invalid_provider.detail':
    'Kode bank atau nama e-wallet tidak dikenal. Lihat daftar di /api/v1/providers.',
  'problem.invalid_account_number.detail': 'Periksa kembali nomor rekening atau nomor ponsel.',
  'problem.invalid_prefix.detail':
    'Kirim 5 karakter heksadesimal pertama dari SHA-256 kunci rekening, misalnya EAE59.',
  'problem.not_found.detail': 'Alamat yang diminta tidak ada.',
  'problem.rate_limited.detail': 'Batas permintaan tercapai. Coba lagi {wait}.',
  'problem.payload_too_large.detail': 'Ukuran data melebihi batas yang diizinkan.',
  'problem.request_timeout.detail':
    'Permintaan tidak diterima lengkap dalam batas waktu. Silakan kirim ulang.',
  'problem.unsupported_media_type.detail': 'Kirim data dengan jenis konten yang didukung.',
  'problem.internal_error.detail':
    'Silakan coba lagi nanti. Sebutkan nomor permintaan {requestId}.',
  'problem.service_unavailable.detail': 'Silakan coba lagi beberapa saat lagi.',
  'problem.validation_failed.detail': 'Periksa kembali isian yang ditandai.',
  'problem.bad_request.detail': 'Permintaan tidak dapat diproses.',
  'problem.method_not_allowed.detail': 'Metode HTTP ini tidak didukung untuk alamat ini.',
  'problem.uri_too_long.detail': 'Alamat atau parameter permintaan melebihi batas panjang.',

  'provider.unknown': 'Pilih bank atau e-wallet dari daftar.',
  'nik.not_16_digits': 'NIK terdiri dari 16 angka, seperti tertulis di KTP.',
  'nik.unknown_province': 'Dua angka pertama NIK bukan kode provinsi yang ada.',
  'nik.bad_region': 'Kode kabupaten/kota atau kecamatan pada NIK tidak boleh 00.',
  'nik.bad_birth_date':
    'Tanggal lahir pada NIK (angka ke-7 sampai ke-12) bukan tanggal yang ada; untuk perempuan tanggalnya ditambah 40.',
  'nik.zero_serial': 'Empat angka terakhir NIK tidak boleh 0000.',
  'form.required': 'Wajib diisi.',
  'form.invalid': 'Isian tidak valid.',
  'form.tooLong': 'Isian terlalu panjang.',
  'form.notText':
    'Isian memuat karakter yang bukan teks (misalnya NUL atau byte yang bukan UTF-8). Ketik ulang isian ini.',
  'form.date.notOnCalendar': 'Tanggal ini tidak ada di kalender (misalnya 30 Februari).',
  'form.phone': 'Masukkan nomor telepon, misalnya 0812-3456-7890.',
  'form.email': 'Masukkan alamat e-mail yang valid, misalnya nama@contoh.id.',
  'report.holderName.length': 'Tulis nama pemilik rekening (2–100 karakter).',
  'report.category.required': 'Pilih jenis kejahatan.',
  'report.chronology.length': 'Ceritakan kronologinya dalam 30–5.000 karakter.',
  'report.amount': 'Tulis jumlah dalam rupiah utuh, tanpa sen, misalnya 1500000 atau 1.500.000.',
  'report.date.format': 'Tulis tanggal sebagai TTTT-BB-HH, misalnya 2026-03-01.',
  'report.date.future': 'Tanggal tidak boleh di masa depan.',
  'report.time.format': 'Tulis jam sebagai JJ:MM, misalnya 14:30.',
  'report.platform.length':
    'Tulis di mana kejadiannya, misalnya Instagram atau WhatsApp (2–100 karakter).',
  'report.reporterName.length': 'Tulis nama Anda (2–100 karakter).',
  'report.evidence.count': 'Lampirkan 1 sampai 5 berkas bukti (JPEG, PNG, WebP atau PDF).',
  'report.decision.reason': 'Pilih alasan yang sesuai dengan keputusan.',
  'number.empty': 'Isi nomor rekening atau nomor ponsel.',
  'number.too_long': 'Nomor terlalu panjang: nomor rekening paling banyak 20 angka.',
  'number.too_short': 'Nomor terlalu pendek: nomor rekening paling sedikit 5 angka.',
  'number.not_digits':
    'Nomor hanya boleh berisi angka 0–9 (spasi, titik, dan tanda hubung boleh dipakai sebagai pemisah).',
  'number.not_mobile': 'Masukkan nomor ponsel Indonesia, misalnya 0812-3456-7890.',

  // Public pages: layout.
  'layout.tagline': 'Cek rekening sebelum transfer',
  'layout.skip': 'Langsung ke isi halaman',
  'layout.nav': 'Menu utama',
  'layout.nav.about': 'Tentang',
  'layout.nav.menu': 'Menu',
  'layout.nav.check': 'Cek rekening',
  'layout.nav.report': 'Laporkan rekening',
  'layout.nav.register': 'Daftarkan rekening penjual',
  'layout.nav.normalization': 'Ajukan normalisasi',
  'layout.nav.track': 'Lacak tiket',
  'layout.nav.contact': 'Kontak',
  'layout.otherLanguage': 'English',
  'layout.footer.about':
    'cekrek adalah perangkat lunak sumber terbuka untuk memeriksa dan melaporkan rekening yang digunakan untuk penipuan dan kejahatan lain.',
  'layout.footer.operator': 'Dikelola oleh {organization}.',
  'layout.footer.contact': 'Tentang & kontak',
  'layout.description':
    'Periksa apakah rekening bank atau nomor e-wallet pernah dilaporkan terkait penipuan sebelum Anda mentransfer uang.',

  // Home page and the check form.
  'home.title': 'Cek rekening',
  'home.heading': 'Cek rekening sebelum transfer',
  'home.lead':
    'Masukkan rekening bank atau nomor e-wallet penerima untuk melihat apakah nomor itu pernah dilaporkan terkait penipuan atau kejahatan lain.',
  'home.form.label': 'Formulir cek rekening',
  'home.form.kind': 'Jenis rekening',
  'home.form.kind.bank': 'Rekening bank',
  'home.form.kind.ewallet': 'E-wallet',
  'home.form.bank': 'Bank',
  'home.form.bank.hint':
    'Ketik nama atau kode bank, misalnya BCA atau 014, lalu pilih dari daftar.',
  'home.form.ewallet': 'Aplikasi e-wallet',
  'home.form.ewallet.choose': 'Pilih e-wallet',
  'home.form.number': 'Nomor rekening atau nomor ponsel',
  'home.form.number.hint':
    'Boleh memakai spasi, titik, atau tanda hubung. Untuk e-wallet, masukkan nomor ponselnya, misalnya 0812-3456-7890.',
  'home.form.submit': 'Cek sekarang',
  'home.errors.title': 'Ada isian yang perlu diperbaiki',
  'home.errors.pageTitle': 'Kesalahan: {title}',
  'home.caution.title': 'Penting',
  'home.caution':
    '“Belum ada laporan” bukan jaminan bahwa rekening aman. Penipu sering memakai rekening baru, jadi tetap pastikan siapa penerima uang Anda sebelum transfer.',
  'home.what.title': 'Apa itu cekrek?',
  'home.what.text':
    'cekrek mengumpulkan laporan masyarakat tentang rekening bank dan nomor e-wallet yang dipakai untuk penipuan atau kejahatan lain. Hanya laporan yang sudah diverifikasi petugas yang dihitung, dan pemilik rekening yang dilaporkan dapat mengajukan sanggahan (normalisasi).',
  'home.what.more': 'Selengkapnya tentang cekrek',
  'home.services.title': 'Layanan cekrek',
  'home.services.check': 'Periksa rekening bank atau nomor e-wallet sebelum transfer.',
  'home.services.report':
    'Tertipu? Laporkan rekening yang dipakai pelaku, dengan kronologi dan bukti transfer.',
  'home.services.register':
    'Penjual online: daftarkan rekening Anda agar pembeli melihatnya sebagai penjual terverifikasi.',
  'home.services.normalization':
    'Rekening Anda dilaporkan secara keliru? Ajukan sanggahan dengan bukti.',
  'home.services.track':
    'Sudah mengirim laporan atau permohonan? Lihat perkembangannya dengan nomor tiket.',
  'home.demo.title': 'Situs ini memuat DATA DEMO',
  'home.demo.text':
    'Beberapa rekening di bawah ini adalah data demo untuk mencoba cekrek. Data demo bukan laporan sungguhan. Coba salah satunya:',

  // Result page.
  'result.title': '{provider} {number}: {status}',
  'result.eyebrow': 'Hasil cek rekening',
  'result.bankCode': 'Kode bank {code}',
  'result.ewallet': 'E-wallet',
  'result.status.clear': 'Belum ada laporan',
  'result.status.reported': 'Dilaporkan',
  'result.status.disputed': 'Dalam proses sanggah / normalisasi',
  'result.status.normalized': 'Telah dinormalisasi',
  'result.clear.text':
    'Belum ada laporan terverifikasi tentang rekening ini. Ini bukan jaminan bahwa rekening ini aman: rekening baru milik penipu pun belum punya laporan.',
  'result.reports.count.one': '{count} laporan terverifikasi',
  'result.reports.count.other': '{count} laporan terverifikasi',
  'result.reported.warning': 'Jangan transfer ke rekening ini.',
  'result.reported.text':
    'Rekening ini telah dilaporkan terkait penipuan atau kejahatan lain, dan laporannya telah diverifikasi petugas.',
  'result.reported.wasNormalized': 'Rekening ini pernah dinormalisasi pada {date}.',
  'result.categories': 'Kategori laporan',
  'result.category.count.one': '{count} laporan',
  'result.category.count.other': '{count} laporan',
  'result.firstReported': 'Laporan pertama',
  'result.lastReported': 'Laporan terakhir',
  'result.disputed.since': 'Sejak {date}',
  'result.disputed.text':
    'Pemilik rekening telah mengajukan sanggahan (normalisasi) atas laporan tentang rekening ini, dan petugas sedang memeriksanya. Selama proses berlangsung, laporan tetap berlaku. Berhati-hatilah sebelum transfer.',
  'result.normalized.date': 'Pada {date}',
  'result.normalized.text':
    'Pemilik rekening telah menyanggah laporan tentang rekening ini dan petugas menerima sanggahannya. Laporan sebelumnya tidak lagi dihitung. Seperti rekening lain, ini bukan jaminan bahwa rekening ini aman.',
  'result.seller.heading': 'Penjual terverifikasi',
  'result.seller.text':
    'Pemilik rekening ini telah mendaftarkannya sebagai rekening penjual, dan petugas telah memeriksa dokumennya. Pastikan nama usaha dan nama pemilik di bawah ini sesuai dengan penjual yang Anda hubungi.',
  'result.seller.business': 'Nama usaha',
  'result.seller.holder': 'Nama pemilik rekening',
  'result.seller.verifiedAt': 'Diverifikasi pada',
  'result.seller.alsoReported':
    'Perhatian: meskipun terdaftar sebagai penjual, rekening ini juga memiliki laporan terverifikasi.',
  'result.unusualLength':
    'Catatan: nomor ini terdiri dari {length} angka, sedangkan nomor rekening {bank} biasanya {expected} angka. Periksa kembali nomornya. Hasil di bawah ini berlaku untuk nomor persis seperti yang dimasukkan.',
  'result.demo.badge': 'DATA DEMO',
  'result.demo.text':
    'Rekening ini adalah data demo untuk mencoba cekrek, bukan laporan sungguhan.',
  'result.tips.title': 'Sebelum transfer',
  'result.tips.name':
    'Pastikan nama pemilik rekening sama dengan nama penjual atau penerima yang Anda kenal.',
  'result.tips.escrow': 'Utamakan rekening bersama atau fitur pembayaran resmi di marketplace.',
  'result.tips.pressure':
    'Waspadai harga yang terlalu murah, janji keuntungan besar, dan desakan untuk segera transfer.',
  'result.tips.otp': 'Jangan pernah memberikan kode OTP, PIN, atau kata sandi kepada siapa pun.',
  'result.victim.title': 'Sudah terlanjur transfer?',
  'result.victim.text':
    'Segera hubungi layanan pengaduan bank atau e-wallet Anda untuk meminta pemblokiran, simpan semua bukti transfer dan percakapan, lalu laporkan ke polisi.',
  'result.victim.contact': 'Kontak layanan pengaduan',
  'result.privacy':
    'Identitas pelapor, kronologi, dan isi laporan tidak pernah ditampilkan kepada publik.',
  'result.checkAnother': 'Cek rekening lain',
  'result.reportThis': 'Laporkan rekening ini',
  'result.unavailable.heading': 'Tidak dapat memeriksa saat ini',
  'result.unavailable.text':
    'Kami sedang tidak dapat memastikan laporan terbaru tentang rekening ini. Ini bukan berarti rekening ini aman: jangan transfer sebelum Anda dapat memeriksanya. Coba lagi dalam {seconds} detik.',
  'result.unavailable.retry': 'Periksa lagi',

  // About and contact.
  'about.title': 'Tentang cekrek',
  'about.intro':
    'cekrek adalah layanan untuk memeriksa dan melaporkan rekening bank dan nomor e-wallet yang digunakan untuk penipuan atau kejahatan lain, agar masyarakat dapat mengetahuinya sebelum mentransfer uang.',
  'about.check.title': 'Cek rekening',
  'about.check.text':
    'Pilih bank atau e-wallet, masukkan nomornya, lalu tekan “Cek sekarang”. Hasilnya menunjukkan jumlah laporan terverifikasi beserta kategorinya, tanggal laporan pertama dan terakhir, dan apakah rekening itu milik penjual terverifikasi, sedang dalam proses sanggah, atau telah dinormalisasi. “Belum ada laporan” bukan jaminan bahwa rekening aman.',
  'about.report.title': 'Laporan',
  'about.report.text':
    'Korban penipuan atau kejahatan lain dapat melaporkan rekening yang dipakai pelaku, disertai kronologi dan bukti transfer. Laporan baru dihitung setelah diverifikasi petugas; laporan tanpa bukti tidak diproses.',
  'about.normalization.title': 'Normalisasi rekening',
  'about.normalization.text':
    'Pemilik rekening yang merasa dilaporkan secara keliru dapat mengajukan normalisasi dengan bukti sanggahan. Selama permohonan diproses, rekening diberi tanda “Dalam proses sanggah / normalisasi”. Jika dikabulkan, laporan tidak lagi dihitung dan rekening ditandai “Telah dinormalisasi”; jika tidak dikabulkan, laporan tetap berlaku.',
  'about.seller.title': 'Penjual terverifikasi',
  'about.seller.text':
    'Penjual online dapat mendaftarkan rekeningnya. Setelah diverifikasi petugas, hasil cek rekening itu menampilkan nama usaha dan nama pemilik yang disamarkan.',
  'about.privacy.title': 'Privasi',
  'about.privacy.text':
    'Identitas pelapor, kronologi, dan dokumen tidak pernah ditampilkan kepada publik. Nama pemilik rekening hanya ditampilkan dalam bentuk tersamar.',
  'about.check.link': 'Cek rekening sekarang',
  'about.report.link': 'Laporkan rekening',
  'about.normalization.link': 'Ajukan normalisasi',
  'about.seller.link': 'Daftarkan rekening penjual',
  'about.track.title': 'Lacak tiket',
  'about.track.text':
    'Laporan dan permohonan yang Anda kirim mendapat nomor tiket dan kode pelacakan. Dengan keduanya Anda dapat melihat perkembangannya kapan saja.',
  'about.track.link': 'Lacak tiket',
  'about.contact.title': 'Kontak',
  'about.contact.lead': 'Pertanyaan tentang cekrek atau data di dalamnya? Hubungi pengelolanya.',
  'about.contact.more': 'Tentang cekrek dan layanannya',
  'about.contact.organization': 'Pengelola',
  'about.contact.phone': 'Telepon',
  'about.contact.email': 'E-mail',

  // When to try again after a limit (shared/wait.ts).
  'wait.underMinute': 'kurang dari satu menit lagi',
  'wait.minutes.one': 'sekitar {count} menit lagi',
  'wait.minutes.other': 'sekitar {count} menit lagi',
  'wait.hours.one': 'sekitar {count} jam lagi',
  'wait.hours.other': 'sekitar {count} jam lagi',

  // Error pages.
  'error.notFound.heading': 'Halaman tidak ditemukan',
  'error.notFound.text':
    'Alamat yang Anda buka tidak ada. Mungkin ada salah ketik, atau halamannya sudah dipindahkan.',
  'error.rateLimited.heading': 'Terlalu banyak pemeriksaan',
  'error.rateLimited.text':
    'Anda melakukan terlalu banyak pemeriksaan dalam waktu singkat. Coba lagi {wait}.',
  'error.fields': 'Yang perlu diperbaiki:',
  'error.home': 'Kembali ke halaman utama',

  // Back office (operators' pages).
  'admin.layout.label': 'Ruang operator',
  'admin.layout.nav': 'Menu operator',
  'admin.layout.footer':
    'Dikelola oleh {organization}. Setiap tindakan di ruang operator dicatat dalam log audit.',
  'admin.nav.dashboard': 'Dasbor',
  'admin.nav.operators': 'Operator',
  'admin.nav.audit': 'Log audit',
  'admin.nav.partners': 'Mitra',
  'admin.signOut': 'Keluar',
  'admin.signOutEverywhere': 'Keluar dari semua perangkat',
  'admin.errors.title': 'Ada yang perlu diperbaiki',
  'admin.error.toDashboard': 'Kembali ke dasbor',
  'admin.error.toSignIn': 'Ke halaman masuk',
  'admin.signIn.title': 'Masuk sebagai operator',
  'admin.signIn.lead':
    'Halaman ini hanya untuk petugas cekrek. Masuk dengan e-mail, kata sandi, dan kode dari aplikasi autentikator Anda.',
  'admin.signIn.email': 'E-mail',
  'admin.signIn.password': 'Kata sandi',
  'admin.signIn.totp': 'Kode autentikator (6 angka)',
  'admin.signIn.totp.hint':
    'Kode yang ditampilkan aplikasi autentikator Anda, misalnya Google Authenticator atau Aegis. Saat pertama kali masuk, kosongkan saja: setelah ini Anda akan diminta mendaftarkan aplikasi autentikator.',
  'admin.signIn.submit': 'Masuk',
  'admin.signIn.help':
    'Lupa kata sandi atau kehilangan ponsel autentikator? Hubungi admin cekrek: admin dapat memberikan kata sandi sekali pakai baru atau mengatur ulang autentikator Anda.',
  'admin.signIn.expired':
    'Formulir ini sudah kedaluwarsa atau tidak lengkap. Isi lagi, lalu masuk.',
  'admin.signIn.rateLimited': 'Terlalu banyak percobaan masuk. Coba lagi {wait}.',
  'admin.signIn.info.signedOut': 'Anda telah keluar.',
  'admin.signIn.info.signedOutEverywhere':
    'Anda telah keluar dari semua perangkat: semua sesi Anda sudah diakhiri.',
  'admin.totp.title': 'Daftarkan aplikasi autentikator',
  'admin.totp.lead':
    'Setiap kali masuk, selain kata sandi Anda memerlukan kode dari aplikasi autentikator di ponsel. Daftarkan aplikasinya sekarang.',
  'admin.totp.step.install':
    'Pasang aplikasi autentikator di ponsel Anda, misalnya Google Authenticator, Microsoft Authenticator, FreeOTP, atau Aegis.',
  'admin.totp.step.scan':
    'Di aplikasi itu, tambahkan akun baru dengan memindai kode QR ini, atau ketik kuncinya secara manual.',
  'admin.totp.qr.alt':
    'Kode QR untuk aplikasi autentikator. Kunci yang sama tertulis di sampingnya.',
  'admin.totp.secret': 'Kunci (untuk diketik manual)',
  'admin.totp.account': 'Akun',
  'admin.totp.kind': 'Jenis',
  'admin.totp.kind.value': 'Berbasis waktu (TOTP), 6 angka, berganti setiap 30 detik',
  'admin.totp.step.code':
    'Masukkan kode 6 angka yang ditampilkan aplikasi untuk menyelesaikan pendaftaran.',
  'admin.totp.code': 'Kode dari aplikasi (6 angka)',
  'admin.totp.code.hint':
    'Kode berganti setiap 30 detik. Jika ditolak, tunggu kode berikutnya lalu coba lagi.',
  'admin.totp.submit': 'Selesaikan pendaftaran',
  'admin.password.title': 'Ganti kata sandi',
  'admin.password.lead':
    'Pilih kata sandi baru. Setelah diganti, sesi Anda di perangkat lain diakhiri.',
  'admin.password.lead.oneTime':
    'Anda masuk dengan kata sandi sekali pakai dari admin. Sebelum melanjutkan, ganti dengan kata sandi pilihan Anda sendiri.',
  'admin.password.current': 'Kata sandi saat ini',
  'admin.password.current.oneTime': 'Kata sandi sekali pakai',
  'admin.password.new': 'Kata sandi baru',
  'admin.password.new.hint':
    'Minimal {min} karakter. Frasa dari beberapa kata yang mudah Anda ingat adalah pilihan yang baik. Jangan memakai bagian dari alamat e-mail Anda.',
  'admin.password.confirm': 'Ulangi kata sandi baru',
  'admin.password.submit': 'Simpan kata sandi baru',
  'admin.password.mismatch': 'Kedua kata sandi baru tidak sama.',
  'admin.dashboard.title': 'Dasbor',
  'admin.dashboard.info.enrolled':
    'Aplikasi autentikator terdaftar. Mulai sekarang, masukkan kodenya setiap kali masuk.',
  'admin.dashboard.info.password_changed': 'Kata sandi Anda telah diganti.',
  'admin.dashboard.queues': 'Antrean',
  'admin.dashboard.overdueNotice.one': '{count} pengajuan melewati batas waktu pemrosesan.',
  'admin.dashboard.overdueNotice.other': '{count} pengajuan melewati batas waktu pemrosesan.',
  'admin.queue.reports': 'Laporan rekening',
  'admin.queue.registrations': 'Pendaftaran rekening penjual',
  'admin.queue.normalizations': 'Normalisasi rekening',
  'admin.queue.deadline': 'batas waktu {days} hari',
  'admin.queue.submitted': 'Diajukan',
  'admin.queue.inReview': 'Sedang ditinjau',
  'admin.queue.overdue': 'Terlambat',
  'admin.queue.overdueWarning': 'melewati batas waktu',
  'admin.dashboard.allowed': 'Yang dapat Anda lakukan',
  'admin.dashboard.viaApi': '(belum ada halamannya: melalui API)',
  'admin.dashboard.changePassword': 'Ganti kata sandi Anda',
  'admin.dashboard.session': 'Sesi Anda',
  'admin.dashboard.signedInAs': 'Masuk sebagai',
  'admin.dashboard.roles': 'Peran',
  'admin.dashboard.expires': 'Sesi berakhir paling lambat',
  'admin.dashboard.everywhere.hint':
    'Mengakhiri semua sesi Anda, juga di perangkat lain (misalnya jika ponsel atau laptop hilang).',
  'admin.permission.dashboard.view': 'Melihat dasbor',
  'admin.permission.operators.manage': 'Mengelola operator',
  'admin.permission.audit.read': 'Membaca log audit',
  'admin.permission.reports.review': 'Meninjau laporan rekening',
  'admin.permission.registrations.review': 'Meninjau pendaftaran rekening penjual',
  'admin.permission.normalizations.mediate': 'Menangani normalisasi dan mediasi',
  'admin.role.admin': 'Admin',
  'admin.role.admin.hint': 'Mengelola operator dan membaca log audit.',
  'admin.role.reviewer': 'Peninjau laporan',
  'admin.role.reviewer.hint': 'Memverifikasi atau menolak laporan rekening.',
  'admin.role.registrar': 'Verifikator penjual',
  'admin.role.registrar.hint': 'Memeriksa pendaftaran rekening penjual.',
  'admin.role.mediator': 'Mediator',
  'admin.role.mediator.hint': 'Menangani permohonan normalisasi dan mediasi.',
  'admin.operators.title': 'Operator',
  'admin.operators.new': 'Tambah operator',
  'admin.operators.list': 'Daftar operator',
  'admin.operators.back': 'Semua operator',
  'admin.operators.new.lead':
    'Operator baru menerima kata sandi sekali pakai, yang harus diganti saat pertama kali masuk, lalu mendaftarkan aplikasi autentikator.',
  'admin.operators.create': 'Buat operator',
  'admin.operators.created': 'Operator dibuat',
  'admin.operator.email': 'E-mail',
  'admin.operator.roles': 'Peran',
  'admin.operator.status': 'Status',
  'admin.operator.status.active': 'Aktif',
  'admin.operator.status.disabled': 'Nonaktif',
  'admin.operator.status.locked': 'Terkunci sementara',
  'admin.operator.status.enrolled': 'Autentikator terdaftar',
  'admin.operator.status.notEnrolled': 'Autentikator belum terdaftar',
  'admin.operator.status.mustChange': 'Harus mengganti kata sandi',
  'admin.operator.lastSignIn': 'Terakhir masuk',
  'admin.operator.never': 'Belum pernah',
  'admin.operator.created': 'Dibuat',
  'admin.operator.you': 'Anda',
  'admin.operator.yourself':
    'Ini akun Anda sendiri: Anda tidak dapat menonaktifkannya atau mencabut peran admin Anda sendiri.',
  'admin.operator.changeRoles': 'Peran',
  'admin.operator.changeRoles.hint':
    'Peran baru berlaku saat operator masuk lagi: sesi yang sedang berjalan diakhiri.',
  'admin.operator.changeRoles.submit': 'Simpan peran',
  'admin.operator.access': 'Akses',
  'admin.operator.disable': 'Nonaktifkan operator',
  'admin.operator.disable.hint':
    'Operator tidak dapat masuk lagi, dan semua sesinya langsung berakhir.',
  'admin.operator.enable': 'Aktifkan kembali',
  'admin.operator.enable.hint': 'Operator dapat masuk lagi dengan kata sandi dan autentikatornya.',
  'admin.operator.resetPassword': 'Buat kata sandi sekali pakai baru',
  'admin.operator.resetPassword.hint':
    'Kata sandi lama tidak berlaku lagi dan sesi operator berakhir. Kata sandi baru ditampilkan satu kali.',
  'admin.operator.resetTotp': 'Atur ulang autentikator',
  'admin.operator.resetTotp.hint':
    'Untuk ponsel yang hilang atau diganti: operator mendaftarkan autentikator lagi saat masuk berikutnya.',
  'admin.operator.passwordReset': 'Kata sandi sekali pakai baru',
  'admin.operator.info.roles_changed': 'Peran disimpan.',
  'admin.operator.info.disabled': 'Operator dinonaktifkan.',
  'admin.operator.info.enabled': 'Operator diaktifkan kembali.',
  'admin.operator.info.totp_reset': 'Autentikator diatur ulang.',
  'admin.otp.title': 'Kata sandi sekali pakai untuk {email}',
  'admin.otp.once':
    'Kata sandi ini hanya ditampilkan sekali, sekarang, dan tidak disimpan dalam bentuk yang dapat dibaca. Salin sekarang.',
  'admin.otp.next':
    'Sampaikan kepada operator melalui saluran yang aman (bukan e-mail biasa). Operator harus menggantinya saat masuk.',
  'admin.otp.toOperator': 'Ke halaman operator',
  'admin.audit.title': 'Log audit',
  'admin.audit.lead':
    'Setiap tindakan operator dan setiap percobaan masuk, yang terbaru di atas. Membuka halaman ini juga dicatat.',
  'admin.audit.filter': 'Saring',
  'admin.audit.operator': 'Operator',
  'admin.audit.any.actor': 'Semua operator',
  'admin.audit.action': 'Tindakan',
  'admin.audit.any.action': 'Semua tindakan',
  'admin.audit.subjectType': 'Jenis subjek (misalnya operator)',
  'admin.audit.subjectId': 'ID subjek',
  'admin.audit.from': 'Dari tanggal',
  'admin.audit.to': 'Sampai tanggal',
  'admin.audit.dates.hint':
    'Tanggal menurut Waktu Indonesia Barat (WIB); tanggal akhir ikut dihitung.',
  'admin.audit.apply': 'Terapkan',
  'admin.audit.clear': 'Hapus saringan',
  'admin.audit.entries': 'Entri',
  'admin.audit.none': 'Tidak ada entri yang cocok.',
  'admin.audit.pages': 'Halaman log audit',
  'admin.audit.newest': 'Entri terbaru',
  'admin.audit.older': 'Entri lebih lama',
  'admin.audit.at': 'Waktu',
  'admin.audit.actor': 'Pelaku',
  'admin.audit.subject': 'Subjek',
  'admin.audit.ip': 'Alamat IP',
  'admin.audit.outcome': 'Hasil',
  'admin.audit.outcome.success': 'Berhasil',
  'admin.audit.outcome.denied': 'Ditolak',
  'admin.audit.outcome.failure': 'Gagal',
  'admin.audit.details': 'Rincian',
  'admin.audit.actorType.operator': 'operator',
  'admin.audit.actorType.system': 'sistem',
  'admin.audit.actorType.cli': 'baris perintah',
  'admin.audit.actor.invalid': 'Pilih operator dari daftar.',
  'admin.audit.action.invalid': 'Pilih tindakan dari daftar.',
  'admin.audit.date.invalid': 'Masukkan tanggal yang valid (TTTT-BB-HH).',
  'admin.audit.action.operator.created': 'Akun operator dibuat',
  'admin.audit.action.operator.disabled': 'Akun operator dinonaktifkan',
  'admin.audit.action.operator.enabled': 'Akun operator diaktifkan kembali',
  'admin.audit.action.operator.roles_changed': 'Peran operator diubah',
  'admin.audit.action.operator.password_changed': 'Operator mengganti kata sandinya',
  'admin.audit.action.operator.password_reset': 'Admin membuat kata sandi sekali pakai baru',
  'admin.audit.action.operator.totp_enrolled': 'Operator mendaftarkan autentikator',
  'admin.audit.action.operator.totp_reset': 'Admin mengatur ulang autentikator operator',
  'admin.audit.action.session.signed_in': 'Operator masuk',
  'admin.audit.action.session.sign_in_failed': 'Percobaan masuk gagal',
  'admin.audit.action.session.locked': 'Akun terkunci setelah percobaan gagal berulang',
  'admin.audit.action.session.signed_out': 'Operator keluar',
  'admin.audit.action.session.signed_out_everywhere': 'Operator mengakhiri semua sesinya',
  'admin.audit.action.session.expired': 'Sesi kedaluwarsa ditolak',
  'admin.audit.action.access.denied': 'Akses ditolak karena peran',
  'admin.audit.action.audit.viewed': 'Log audit dibaca',
  'admin.audit.action.audit.verified': 'Rantai audit diverifikasi',
  'admin.audit.action.report.viewed': 'Laporan dibuka (identitas pelapor)',
  'admin.audit.action.report.claimed': 'Laporan diambil untuk ditinjau',
  'admin.audit.action.report.released': 'Laporan dikembalikan ke antrean',
  'admin.audit.action.report.verified': 'Laporan diverifikasi',
  'admin.audit.action.report.rejected': 'Laporan ditolak',
  'admin.audit.action.file.viewed': 'Berkas dibuka',
  'admin.audit.action.files.swept': 'Berkas tanpa catatan dihapus',
  'admin.audit.action.ticket.code_renewed': 'Kode pelacakan baru dikirim ke e-mail pengirim',
  'admin.audit.action.ticket.code_request_unmatched':
    'Permintaan kode pelacakan baru dengan e-mail yang tidak cocok (tidak dikirim)',
  'share.title': 'Bagikan halaman ini',
  'share.hint': 'Yang dibagikan hanya alamat halaman ini, tanpa data tentang Anda.',
  'share.whatsapp': 'Bagikan lewat WhatsApp',
  'share.telegram': 'Bagikan lewat Telegram',
  'share.url': 'Alamat halaman ini',
  'result.share.sentence': 'Cek dulu rekening ini sebelum transfer:',
  'result.seller.nameCheck': 'Cek nama pemilik rekening',
  'result.seller.nameCheck.text':
    'Penjual menyebut nama pemilik rekening? Periksa kecocokannya di halaman penjual; nama lengkapnya tidak pernah ditampilkan.',
  'problem.payload_too_large.detail.file':
    'Berkas “{fileName}” lebih besar dari batas {max} MB per berkas. Pilih berkas yang lebih kecil.',
  'problem.payload_too_large.detail.files':
    'Berkas yang dikirim bersama-sama lebih besar dari batas {max} MB. Kirim lebih sedikit atau lebih kecil.',
  'problem.unsupported_file_type.detail.file':
    'Berkas “{fileName}” tidak bisa diterima: kirim berkas JPEG, PNG, WebP atau PDF.',
  'file.too_large': 'Berkas terlalu besar.',
  'file.unsupported_type': 'Jenis berkas tidak didukung.',
  'form.step': 'Langkah {n} dari {total}',
  'form.fieldError': '{label}: {message}',
  'form.files.tooLarge':
    'Berkas “{fileName}” lebih besar dari {max} MB. Pilih berkas yang lebih kecil.',
  'form.files.wrongType': 'Berkas “{fileName}” bukan {types}. Pilih berkas lain.',
  'form.files.summaryTitle': 'Ada berkas yang belum bisa dikirim',
};

const id = {
  ...core,
  ...idReports,
  ...idReview,
  ...idRegistrations,
  ...idNormalizations,
  ...idOperators,
  ...idPartners,
  ...idPartnerReports,
  ...idWatches,
  ...idWebhooks,
  ...idStatistics,
  ...idFigures,
  ...idCheckCounts,
};

export type MessageKey = keyof typeof id;

const coreEn: Record<keyof typeof core, string> = {
  'problem.bad_request.title': 'Bad request',
  'problem.validation_failed.title': 'The submitted data is not valid',
  'problem.invalid_provider.title': 'Unknown bank or e-wallet',
  'problem.invalid_account_number.title': 'Invalid account number',
  'problem.invalid_prefix.title': 'Invalid hash prefix',
  'problem.not_found.title': 'Not found',
  'problem.method_not_allowed.title': 'Method not allowed',
  'problem.uri_too_long.title': 'URI too long',
  'problem.payload_too_large.title': 'Payload too large',
  'problem.request_timeout.title': 'Request timeout',
  'problem.unsupported_media_type.title': 'Unsupported media type',
  'problem.unauthorized.title': 'Sign-in required',
  'problem.unauthorized.detail': 'Sign in as an operator to continue.',
  'problem.invalid_credentials.title': 'Wrong e-mail or password',
  'problem.invalid_credentials.detail': 'Check your e-mail and password, then try again.',
  'problem.totp_required.title': 'Authenticator code required',
  'problem.totp_required.detail': 'Enter the correct 6-digit code from your authenticator app.',
  'problem.forbidden.title': 'Forbidden',
  'problem.forbidden.detail': 'Your roles do not allow this action.',
  'problem.csrf_failed.title': 'Request refused',
  'problem.csrf_failed.detail':
    'The form security token does not match. Reload the page and try again.',
  'problem.enrollment_required.title': 'Finish authenticator enrolment',
  'problem.enrollment_required.detail': 'Enrol an authenticator app before continuing.',
  'problem.password_change_required.title': 'Change your password',
  'problem.password_change_required.detail': 'Change your one-time password before continuing.',
  'problem.operator_exists.title': 'Operator exists',
  'problem.operator_exists.detail': 'There already is an operator with this e-mail.',
  'problem.unsupported_file_type.title': 'Unsupported file type',
  'problem.unsupported_file_type.detail': 'Send a JPEG, PNG, WebP or PDF file.',
  'file.pdf_encrypted':
    'An encrypted or password-protected PDF cannot be checked; send it without a password.',
  'file.pdf_unreadable':
    'This PDF cannot be read; save it again or print it to PDF, then resend it.',
  'file.pdf_active_content':
    'The PDF holds scripts, automatic actions, attachments or active forms; print it to a plain PDF, then resend it.',
  'problem.too_many_files.title': 'Too many files',
  'problem.too_many_files.detail': 'Send at most {max} files.',
  'problem.too_many_accounts.title': 'Too many accounts',
  'problem.too_many_accounts.detail':
    'One request checks at most {max} accounts; split them over several requests.',
  'problem.challenge_failed.title': 'Anti-robot check failed',
  'problem.challenge_failed.detail': 'Reload the page and send again.',
  'problem.challenge_required.title': 'Anti-robot check required',
  'problem.challenge_required.detail':
    'Send a solution of a challenge from /api/v1/challenge in the altcha field, or use a partner API key.',
  'problem.unavailable.title': 'Service unavailable',
  'problem.unavailable.detail': 'The database cannot be reached. Try again in {seconds} seconds.',
  'problem.duplicate_report.title': 'Report already filed',
  'problem.duplicate_report.detail': 'You already have an open report on this account.',
  'problem.already_decided.title': 'Already decided',
  'problem.already_decided.detail': 'This has already been decided.',
  'problem.already_claimed.title': 'Claimed by another operator',
  'problem.already_claimed.detail': 'Another operator is working on this. Try again later.',
  'problem.already_registered.title': 'Account already registered',
  'problem.already_registered.detail':
    'This account is already a verified seller or has a registration in progress.',
  'problem.nothing_to_normalize.title': 'Nothing to normalize',
  'problem.nothing_to_normalize.detail': 'This account has no verified reports.',
  'problem.already_pending.title': 'Request already pending',
  'problem.already_pending.detail': 'A normalization request for this account is already open.',
  'problem.four_eyes.title': 'Another operator needed',
  'problem.four_eyes.detail':
    'A proposal must be confirmed by an operator other than its proposer.',
  'operator.email_invalid': 'Enter a valid e-mail address.',
  'operator.roles_invalid':
    'Choose at least one known role (admin, reviewer, registrar, mediator).',
  'operator.not_yourself': 'You cannot disable your own account.',
  'operator.keep_own_admin': 'You cannot remove your own admin role.',
  'password.current_wrong': 'The current password is wrong.',
  'password.unchanged': 'The new password must differ from the old one.',
  'audit.range_invalid': 'The start must be before the end.',
  'password.too_short': 'Passwords have at least 12 characters.',
  'password.too_long': 'Passwords have at most 256 characters.',
  'password.contains_email': 'The password must not contain your e-mail name.',
  'password.too_simple': 'The password is too simple: use more different characters.',
  'problem.rate_limited.title': 'Too many requests',
  'problem.service_unavailable.title': 'Service unavailable',
  'problem.internal_error.title': 'Internal server error',

  'problem.invalid_provider.detail':
    'Unknown bank code or e-wallet name. See the list at /api/v1/providers.',
  'problem.invalid_account_number.detail': 'Check the account or phone number again.',
  'problem.invalid_prefix.detail':
    "Send the first 5 hexadecimal characters of the SHA-256 of the account's key, e.g. EAE59.",
  'problem.not_found.detail': 'The requested address does not exist.',
  'problem.rate_limited.detail': 'Rate limit reached. Try again {wait}.',
  'problem.payload_too_large.detail': 'The request body is larger than allowed.',
  'problem.request_timeout.detail':
    'The request did not arrive in full in time. Please send it again.',
  'problem.unsupported_media_type.detail': 'Send the data with a supported content type.',
  'problem.internal_error.detail': 'Please try again later. Quote request id {requestId}.',
  'problem.service_unavailable.detail': 'Please try again in a moment.',
  'problem.validation_failed.detail': 'Check the highlighted fields.',
  'problem.bad_request.detail': 'The request could not be processed.',
  'problem.method_not_allowed.detail': 'This HTTP method is not supported at this address.',
  'problem.uri_too_long.detail': 'The address or its query is longer than allowed.',

  'provider.unknown': 'Choose a bank or e-wallet from the list.',
  'nik.not_16_digits': 'A NIK has 16 digits, as printed on the ID card.',
  'nik.unknown_province': 'The first two digits of the NIK are not a province code.',
  'nik.bad_region': 'The regency or district code in the NIK cannot be 00.',
  'nik.bad_birth_date':
    'The birth date in the NIK (digits 7 to 12) is not a real date; for women the day has 40 added.',
  'nik.zero_serial': 'The last four digits of the NIK cannot be 0000.',
  'form.required': 'Required.',
  'form.invalid': 'Not valid.',
  'form.tooLong': 'Too long.',
  'form.notText':
    'Contains characters that are not text (such as NUL or bytes that are not UTF-8). Type it again.',
  'form.date.notOnCalendar': 'This date is not on the calendar (such as 30 February).',
  'form.phone': 'Enter a phone number, e.g. 0812-3456-7890.',
  'form.email': 'Enter a valid e-mail address, e.g. name@example.com.',
  'report.holderName.length': 'Enter the account holder’s name (2–100 characters).',
  'report.category.required': 'Choose the kind of crime.',
  'report.chronology.length': 'Tell what happened in 30–5,000 characters.',
  'report.amount': 'Enter the amount in whole rupiah, without cents, e.g. 1500000 or 1.500.000.',
  'report.date.format': 'Enter the date as YYYY-MM-DD, e.g. 2026-03-01.',
  'report.date.future': 'The date cannot be in the future.',
  'report.time.format': 'Enter the time as HH:MM, e.g. 14:30.',
  'report.platform.length':
    'Enter where it happened, e.g. Instagram or WhatsApp (2–100 characters).',
  'report.reporterName.length': 'Enter your name (2–100 characters).',
  'report.evidence.count': 'Attach 1 to 5 evidence files (JPEG, PNG, WebP or PDF).',
  'report.decision.reason': 'Choose a reason that fits the decision.',
  'number.empty': 'Enter an account number or phone number.',
  'number.too_long': 'The number is too long: account numbers have at most 20 digits.',
  'number.too_short': 'The number is too short: account numbers have at least 5 digits.',
  'number.not_digits':
    'Use only the digits 0–9 (spaces, dots and dashes may be used as separators).',
  'number.not_mobile': 'Enter an Indonesian mobile number, e.g. 0812-3456-7890.',

  'layout.tagline': 'Check before you transfer',
  'layout.skip': 'Skip to main content',
  'layout.nav': 'Main menu',
  'layout.nav.about': 'About',
  'layout.nav.menu': 'Menu',
  'layout.nav.check': 'Check an account',
  'layout.nav.report': 'Report an account',
  'layout.nav.register': 'Register a seller account',
  'layout.nav.normalization': 'Request normalization',
  'layout.nav.track': 'Track a ticket',
  'layout.nav.contact': 'Contact',
  'layout.otherLanguage': 'Bahasa Indonesia',
  'layout.footer.about':
    'cekrek is open-source software for checking and reporting accounts used for fraud and other crimes.',
  'layout.footer.operator': 'Operated by {organization}.',
  'layout.footer.contact': 'About & contact',
  'layout.description':
    'Check whether a bank account or e-wallet number has been reported for fraud before you transfer money.',

  'home.title': 'Check an account',
  'home.heading': 'Check an account before you transfer',
  'home.lead':
    'Enter the bank account or e-wallet number you are about to pay to see whether it has been reported for fraud or another crime.',
  'home.form.label': 'Account check form',
  'home.form.kind': 'Account type',
  'home.form.kind.bank': 'Bank account',
  'home.form.kind.ewallet': 'E-wallet',
  'home.form.bank': 'Bank',
  'home.form.bank.hint':
    'Type the bank’s name or code, e.g. BCA or 014, then pick it from the list.',
  'home.form.ewallet': 'E-wallet app',
  'home.form.ewallet.choose': 'Choose an e-wallet',
  'home.form.number': 'Account number or phone number',
  'home.form.number.hint':
    'Spaces, dots and dashes are fine. For an e-wallet, enter its phone number, e.g. 0812-3456-7890.',
  'home.form.submit': 'Check now',
  'home.errors.title': 'Some fields need fixing',
  'home.errors.pageTitle': 'Error: {title}',
  'home.caution.title': 'Important',
  'home.caution':
    '“No reports” is no guarantee that an account is safe. Fraudsters often use new accounts, so always make sure who you are paying before you transfer.',
  'home.what.title': 'What is cekrek?',
  'home.what.text':
    'cekrek collects reports from the public about bank accounts and e-wallet numbers used for fraud or other crimes. Only reports verified by staff count, and the owner of a reported account can dispute them (normalization).',
  'home.what.more': 'More about cekrek',
  'home.services.title': 'What cekrek offers',
  'home.services.check': 'Check a bank account or e-wallet number before you transfer.',
  'home.services.report':
    'Defrauded? Report the account the fraudster used, with what happened and the transfer receipt.',
  'home.services.register':
    'Online sellers: register your account so that buyers see it as a verified seller.',
  'home.services.normalization':
    'Your account was reported by mistake? Ask for normalization with your evidence.',
  'home.services.track': 'Sent a report or a request? Follow it with your ticket number.',
  'home.demo.title': 'This site holds DEMO DATA',
  'home.demo.text':
    'Some accounts below are demo data for trying cekrek out. Demo data are not real reports. Try one:',

  'result.title': '{provider} {number}: {status}',
  'result.eyebrow': 'Account check result',
  'result.bankCode': 'Bank code {code}',
  'result.ewallet': 'E-wallet',
  'result.status.clear': 'No reports yet',
  'result.status.reported': 'Reported',
  'result.status.disputed': 'Under dispute / normalization',
  'result.status.normalized': 'Normalized',
  'result.clear.text':
    'There are no verified reports about this account yet. This is no guarantee that the account is safe: a fraudster’s new account has no reports either.',
  'result.reports.count.one': '{count} verified report',
  'result.reports.count.other': '{count} verified reports',
  'result.reported.warning': 'Do not transfer money to this account.',
  'result.reported.text':
    'This account has been reported for fraud or another crime, and the reports have been verified by staff.',
  'result.reported.wasNormalized': 'This account was normalized on {date}.',
  'result.categories': 'Report categories',
  'result.category.count.one': '{count} report',
  'result.category.count.other': '{count} reports',
  'result.firstReported': 'First report',
  'result.lastReported': 'Latest report',
  'result.disputed.since': 'Since {date}',
  'result.disputed.text':
    'The account’s owner has disputed the reports about it (normalization) and staff are reviewing the case. While it is under review the reports still stand. Be careful before you transfer.',
  'result.normalized.date': 'On {date}',
  'result.normalized.text':
    'The account’s owner disputed the reports about it and staff accepted the dispute. The earlier reports no longer count. As with any account, this is no guarantee that it is safe.',
  'result.seller.heading': 'Verified seller',
  'result.seller.text':
    'The owner registered this account as a seller account and staff checked the documents. Make sure the business name and holder name below match the seller you are dealing with.',
  'result.seller.business': 'Business name',
  'result.seller.holder': 'Account holder',
  'result.seller.verifiedAt': 'Verified on',
  'result.seller.alsoReported':
    'Note: although registered as a seller, this account also has verified reports.',
  'result.unusualLength':
    'Note: this number has {length} digits, while {bank} account numbers usually have {expected}. Please check the number. The result below is for the number exactly as entered.',
  'result.demo.badge': 'DEMO DATA',
  'result.demo.text': 'This account is demo data for trying cekrek out, not a real report.',
  'result.tips.title': 'Before you transfer',
  'result.tips.name': 'Make sure the name on the account matches the seller or person you know.',
  'result.tips.escrow': 'Prefer escrow or the marketplace’s own payment feature.',
  'result.tips.pressure':
    'Be wary of prices that are too low, promises of big returns and pressure to pay at once.',
  'result.tips.otp': 'Never give anyone an OTP code, PIN or password.',
  'result.victim.title': 'Already paid?',
  'result.victim.text':
    'Call your bank’s or e-wallet’s call centre at once to ask for a block, keep every receipt and chat, and report it to the police.',
  'result.victim.contact': 'Complaint service contacts',
  'result.privacy':
    'Reporters’ identities, chronologies and report contents are never shown to the public.',
  'result.checkAnother': 'Check another account',
  'result.reportThis': 'Report this account',
  'result.unavailable.heading': 'Cannot check right now',
  'result.unavailable.text':
    'We cannot confirm the latest reports on this account at the moment. This does not mean the account is safe: do not transfer before you can check it. Try again in {seconds} seconds.',
  'result.unavailable.retry': 'Check again',

  'about.title': 'About cekrek',
  'about.intro':
    'cekrek is a service for checking and reporting bank accounts and e-wallet numbers used for fraud or other crimes, so that people can find out before they transfer money.',
  'about.check.title': 'Checking an account',
  'about.check.text':
    'Choose the bank or e-wallet, enter the number and press “Check now”. The result shows the number of verified reports and their categories, the dates of the first and latest report, and whether the account belongs to a verified seller, is under dispute, or has been normalized. “No reports” is no guarantee that an account is safe.',
  'about.report.title': 'Reports',
  'about.report.text':
    'Victims of fraud or another crime can report the account the offender used, with a chronology and proof of transfer. A report counts only after staff have verified it; reports without evidence are not processed.',
  'about.normalization.title': 'Normalization',
  'about.normalization.text':
    'The owner of an account reported by mistake can ask for normalization with evidence that rebuts the reports. While the request is open, the account carries the mark “Under dispute / normalization”. If it is granted, the reports stop counting and the account shows as “Normalized”; if it is denied, the reports stand.',
  'about.seller.title': 'Verified sellers',
  'about.seller.text':
    'Online sellers can register their account. Once staff have verified it, a check of that account shows the business name and the holder’s masked name.',
  'about.privacy.title': 'Privacy',
  'about.privacy.text':
    'Reporters’ identities, chronologies and documents are never shown to the public. Account holders’ names are only shown masked.',
  'about.check.link': 'Check an account now',
  'about.report.link': 'Report an account',
  'about.normalization.link': 'Request normalization',
  'about.seller.link': 'Register a seller account',
  'about.track.title': 'Tracking a ticket',
  'about.track.text':
    'What you send gets a ticket number and a tracking code. With both you can see where it stands at any time.',
  'about.track.link': 'Track a ticket',
  'about.contact.title': 'Contact',
  'about.contact.lead':
    'Questions about cekrek or its data? Contact the organization that runs it.',
  'about.contact.more': 'About cekrek and its services',
  'about.contact.organization': 'Run by',
  'about.contact.phone': 'Phone',
  'about.contact.email': 'E-mail',

  'wait.underMinute': 'in less than a minute',
  'wait.minutes.one': 'in about {count} minute',
  'wait.minutes.other': 'in about {count} minutes',
  'wait.hours.one': 'in about {count} hour',
  'wait.hours.other': 'in about {count} hours',

  'error.notFound.heading': 'Page not found',
  'error.notFound.text':
    'The address you opened does not exist. It may have a typo, or the page has moved.',
  'error.rateLimited.heading': 'Too many checks',
  'error.rateLimited.text': 'You made too many checks in a short time. Try again {wait}.',
  'error.fields': 'What to fix:',
  'error.home': 'Back to the home page',

  'admin.layout.label': 'Operators’ area',
  'admin.layout.nav': 'Operator menu',
  'admin.layout.footer':
    'Run by {organization}. Every action in the operators’ area is recorded in the audit log.',
  'admin.nav.dashboard': 'Dashboard',
  'admin.nav.operators': 'Operators',
  'admin.nav.audit': 'Audit log',
  'admin.nav.partners': 'Partners',
  'admin.signOut': 'Sign out',
  'admin.signOutEverywhere': 'Sign out everywhere',
  'admin.errors.title': 'There is a problem',
  'admin.error.toDashboard': 'Back to the dashboard',
  'admin.error.toSignIn': 'Go to sign-in',
  'admin.signIn.title': 'Operator sign-in',
  'admin.signIn.lead':
    'For cekrek staff only. Sign in with your e-mail, your password and the code from your authenticator app.',
  'admin.signIn.email': 'E-mail',
  'admin.signIn.password': 'Password',
  'admin.signIn.totp': 'Authenticator code (6 digits)',
  'admin.signIn.totp.hint':
    'The code your authenticator app shows (for example Google Authenticator or Aegis). The first time you sign in, leave it empty: you will set up the app next.',
  'admin.signIn.submit': 'Sign in',
  'admin.signIn.help':
    'Forgot your password or lost your authenticator phone? Ask a cekrek admin: they can issue a new one-time password or reset your authenticator.',
  'admin.signIn.expired': 'This form has expired or is incomplete. Fill it in again, then sign in.',
  'admin.signIn.rateLimited': 'Too many sign-in attempts. Try again {wait}.',
  'admin.signIn.info.signedOut': 'You have signed out.',
  'admin.signIn.info.signedOutEverywhere':
    'You have signed out everywhere: all your sessions have ended.',
  'admin.totp.title': 'Set up your authenticator app',
  'admin.totp.lead':
    'Every sign-in needs a code from an authenticator app on your phone, as well as your password. Set up the app now.',
  'admin.totp.step.install':
    'Install an authenticator app on your phone, such as Google Authenticator, Microsoft Authenticator, FreeOTP or Aegis.',
  'admin.totp.step.scan':
    'In the app, add a new account by scanning this QR code, or type in the key by hand.',
  'admin.totp.qr.alt': 'QR code for your authenticator app. The same key is written next to it.',
  'admin.totp.secret': 'Key (to type in by hand)',
  'admin.totp.account': 'Account',
  'admin.totp.kind': 'Type',
  'admin.totp.kind.value': 'Time-based (TOTP), 6 digits, changing every 30 seconds',
  'admin.totp.step.code': 'Enter the 6-digit code the app shows to finish.',
  'admin.totp.code': 'Code from the app (6 digits)',
  'admin.totp.code.hint':
    'The code changes every 30 seconds. If it is refused, wait for the next one and try again.',
  'admin.totp.submit': 'Finish setup',
  'admin.password.title': 'Change your password',
  'admin.password.lead':
    'Choose a new password. Once it is changed, your sessions on other devices end.',
  'admin.password.lead.oneTime':
    'You signed in with a one-time password from an admin. Before you continue, replace it with a password of your own.',
  'admin.password.current': 'Current password',
  'admin.password.current.oneTime': 'One-time password',
  'admin.password.new': 'New password',
  'admin.password.new.hint':
    'At least {min} characters. A phrase of several words you can remember is a good choice. Do not use part of your e-mail address.',
  'admin.password.confirm': 'Repeat the new password',
  'admin.password.submit': 'Save the new password',
  'admin.password.mismatch': 'The two new passwords do not match.',
  'admin.dashboard.title': 'Dashboard',
  'admin.dashboard.info.enrolled':
    'Your authenticator app is set up. From now on, enter its code every time you sign in.',
  'admin.dashboard.info.password_changed': 'Your password has been changed.',
  'admin.dashboard.queues': 'Queues',
  'admin.dashboard.overdueNotice.one': '{count} item is past its processing deadline.',
  'admin.dashboard.overdueNotice.other': '{count} items are past their processing deadline.',
  'admin.queue.reports': 'Account reports',
  'admin.queue.registrations': 'Seller registrations',
  'admin.queue.normalizations': 'Normalization requests',
  'admin.queue.deadline': '{days}-day deadline',
  'admin.queue.submitted': 'Submitted',
  'admin.queue.inReview': 'In review',
  'admin.queue.overdue': 'Overdue',
  'admin.queue.overdueWarning': 'past the deadline',
  'admin.dashboard.allowed': 'What you can do',
  'admin.dashboard.viaApi': '(no page yet: through the API)',
  'admin.dashboard.changePassword': 'Change your password',
  'admin.dashboard.session': 'Your session',
  'admin.dashboard.signedInAs': 'Signed in as',
  'admin.dashboard.roles': 'Roles',
  'admin.dashboard.expires': 'Session ends at the latest',
  'admin.dashboard.everywhere.hint':
    'Ends all your sessions, on other devices too (for example when a phone or laptop is lost).',
  'admin.permission.dashboard.view': 'View the dashboard',
  'admin.permission.operators.manage': 'Manage operators',
  'admin.permission.audit.read': 'Read the audit log',
  'admin.permission.reports.review': 'Review account reports',
  'admin.permission.registrations.review': 'Review seller registrations',
  'admin.permission.normalizations.mediate': 'Handle normalization and mediation',
  'admin.role.admin': 'Admin',
  'admin.role.admin.hint': 'Manages operators and reads the audit log.',
  'admin.role.reviewer': 'Report reviewer',
  'admin.role.reviewer.hint': 'Verifies or rejects account reports.',
  'admin.role.registrar': 'Seller registrar',
  'admin.role.registrar.hint': 'Checks seller account registrations.',
  'admin.role.mediator': 'Mediator',
  'admin.role.mediator.hint': 'Handles normalization requests and mediation.',
  'admin.operators.title': 'Operators',
  'admin.operators.new': 'Add an operator',
  'admin.operators.list': 'All operators',
  'admin.operators.back': 'All operators',
  'admin.operators.new.lead':
    'A new operator gets a one-time password, which they must change at their first sign-in, and then sets up an authenticator app.',
  'admin.operators.create': 'Create the operator',
  'admin.operators.created': 'Operator created',
  'admin.operator.email': 'E-mail',
  'admin.operator.roles': 'Roles',
  'admin.operator.status': 'Status',
  'admin.operator.status.active': 'Active',
  'admin.operator.status.disabled': 'Disabled',
  'admin.operator.status.locked': 'Temporarily locked',
  'admin.operator.status.enrolled': 'Authenticator set up',
  'admin.operator.status.notEnrolled': 'No authenticator yet',
  'admin.operator.status.mustChange': 'Must change password',
  'admin.operator.lastSignIn': 'Last sign-in',
  'admin.operator.never': 'Never',
  'admin.operator.created': 'Created',
  'admin.operator.you': 'you',
  'admin.operator.yourself':
    'This is your own account: you cannot disable it or remove your own admin role.',
  'admin.operator.changeRoles': 'Roles',
  'admin.operator.changeRoles.hint':
    'New roles take effect at the operator’s next sign-in: their current sessions end.',
  'admin.operator.changeRoles.submit': 'Save roles',
  'admin.operator.access': 'Access',
  'admin.operator.disable': 'Disable the operator',
  'admin.operator.disable.hint':
    'The operator can no longer sign in, and all their sessions end at once.',
  'admin.operator.enable': 'Enable again',
  'admin.operator.enable.hint':
    'The operator can sign in again with their password and authenticator.',
  'admin.operator.resetPassword': 'Issue a new one-time password',
  'admin.operator.resetPassword.hint':
    'The old password stops working and the operator’s sessions end. The new one is shown once.',
  'admin.operator.resetTotp': 'Reset the authenticator',
  'admin.operator.resetTotp.hint':
    'For a lost or replaced phone: the operator sets up an authenticator again at their next sign-in.',
  'admin.operator.passwordReset': 'New one-time password',
  'admin.operator.info.roles_changed': 'Roles saved.',
  'admin.operator.info.disabled': 'The operator is disabled.',
  'admin.operator.info.enabled': 'The operator is enabled again.',
  'admin.operator.info.totp_reset': 'The authenticator is reset.',
  'admin.otp.title': 'One-time password for {email}',
  'admin.otp.once':
    'This password is shown only this once and is not stored in readable form. Copy it now.',
  'admin.otp.next':
    'Give it to the operator through a secure channel (not plain e-mail). They must change it when they sign in.',
  'admin.otp.toOperator': 'Go to the operator',
  'admin.audit.title': 'Audit log',
  'admin.audit.lead':
    'Every operator action and every sign-in attempt, newest first. Opening this page is recorded too.',
  'admin.audit.filter': 'Filter',
  'admin.audit.operator': 'Operator',
  'admin.audit.any.actor': 'All operators',
  'admin.audit.action': 'Action',
  'admin.audit.any.action': 'All actions',
  'admin.audit.subjectType': 'Subject type (e.g. operator)',
  'admin.audit.subjectId': 'Subject ID',
  'admin.audit.from': 'From date',
  'admin.audit.to': 'To date',
  'admin.audit.dates.hint': 'Dates in Western Indonesian Time (WIB); the end date is included.',
  'admin.audit.apply': 'Apply',
  'admin.audit.clear': 'Clear filters',
  'admin.audit.entries': 'Entries',
  'admin.audit.none': 'No matching entries.',
  'admin.audit.pages': 'Audit log pages',
  'admin.audit.newest': 'Newest entries',
  'admin.audit.older': 'Older entries',
  'admin.audit.at': 'Time',
  'admin.audit.actor': 'Actor',
  'admin.audit.subject': 'Subject',
  'admin.audit.ip': 'IP address',
  'admin.audit.outcome': 'Outcome',
  'admin.audit.outcome.success': 'Success',
  'admin.audit.outcome.denied': 'Denied',
  'admin.audit.outcome.failure': 'Failed',
  'admin.audit.details': 'Details',
  'admin.audit.actorType.operator': 'operator',
  'admin.audit.actorType.system': 'system',
  'admin.audit.actorType.cli': 'command line',
  'admin.audit.actor.invalid': 'Choose an operator from the list.',
  'admin.audit.action.invalid': 'Choose an action from the list.',
  'admin.audit.date.invalid': 'Enter a valid date (YYYY-MM-DD).',
  'admin.audit.action.operator.created': 'Operator account created',
  'admin.audit.action.operator.disabled': 'Operator account disabled',
  'admin.audit.action.operator.enabled': 'Operator account enabled again',
  'admin.audit.action.operator.roles_changed': 'Operator roles changed',
  'admin.audit.action.operator.password_changed': 'Operator changed their password',
  'admin.audit.action.operator.password_reset': 'Admin issued a new one-time password',
  'admin.audit.action.operator.totp_enrolled': 'Operator set up their authenticator',
  'admin.audit.action.operator.totp_reset': 'Admin reset an operator’s authenticator',
  'admin.audit.action.session.signed_in': 'Operator signed in',
  'admin.audit.action.session.sign_in_failed': 'Sign-in failed',
  'admin.audit.action.session.locked': 'Account locked after repeated failures',
  'admin.audit.action.session.signed_out': 'Operator signed out',
  'admin.audit.action.session.signed_out_everywhere': 'Operator ended all their sessions',
  'admin.audit.action.session.expired': 'Expired session refused',
  'admin.audit.action.access.denied': 'Access denied by role',
  'admin.audit.action.audit.viewed': 'Audit log read',
  'admin.audit.action.audit.verified': 'Audit chain verified',
  'admin.audit.action.report.viewed': 'Report opened (reporter identity)',
  'admin.audit.action.report.claimed': 'Report claimed for review',
  'admin.audit.action.report.released': 'Report returned to the queue',
  'admin.audit.action.report.verified': 'Report verified',
  'admin.audit.action.report.rejected': 'Report rejected',
  'admin.audit.action.file.viewed': 'File opened',
  'admin.audit.action.files.swept': 'Files without a record deleted',
  'admin.audit.action.ticket.code_renewed': 'New tracking code sent to the submitter’s e-mail',
  'admin.audit.action.ticket.code_request_unmatched':
    'New tracking code asked for with an e-mail that does not match (nothing sent)',
  'share.title': 'Share this page',
  'share.hint': 'Only this page’s address is shared, nothing about you.',
  'share.whatsapp': 'Share on WhatsApp',
  'share.telegram': 'Share on Telegram',
  'share.url': 'This page’s address',
  'result.share.sentence': 'Check this account before you pay:',
  'result.seller.nameCheck': 'Check the account holder’s name',
  'result.seller.nameCheck.text':
    'Did the seller give you the account holder’s name? Check that it matches on the seller page; the full name is never shown.',
  'problem.payload_too_large.detail.file':
    'The file “{fileName}” is larger than the {max} MB limit per file. Choose a smaller file.',
  'problem.payload_too_large.detail.files':
    'The files sent together are larger than the {max} MB limit. Send fewer or smaller files.',
  'problem.unsupported_file_type.detail.file':
    'The file “{fileName}” cannot be accepted: send a JPEG, PNG, WebP or PDF file.',
  'file.too_large': 'The file is too large.',
  'file.unsupported_type': 'Unsupported file type.',
  'form.step': 'Step {n} of {total}',
  'form.fieldError': '{label}: {message}',
  'form.files.tooLarge': 'The file “{fileName}” is larger than {max} MB. Choose a smaller file.',
  'form.files.wrongType': 'The file “{fileName}” is not {types}. Choose another file.',
  'form.files.summaryTitle': 'A file cannot be sent yet',
};

const en: Record<MessageKey, string> = {
  ...coreEn,
  ...enReports,
  ...enReview,
  ...enRegistrations,
  ...enNormalizations,
  ...enOperators,
  ...enPartners,
  ...enPartnerReports,
  ...enWatches,
  ...enWebhooks,
  ...enStatistics,
  ...enFigures,
  ...enCheckCounts,
};

const catalogs: Record<Lang, Record<MessageKey, string>> = { id, en };

export function isMessageKey(key: string): key is MessageKey {
  return key in id;
}

/** Every key of the catalogue, for checks that walk all its texts. */
export function messageKeys(): readonly MessageKey[] {
  return Object.keys(id).filter(isMessageKey);
}

export function t(
  lang: Lang,
  key: MessageKey,
  params?: Readonly<Record<string, string | number>>,
): string {
  return format(catalogs[lang][key], params);
}

/** Translates a message key, or returns plain text unchanged. */
export function translateReason(lang: Lang, reason: string): string {
  return isMessageKey(reason) ? t(lang, reason) : reason;
}

export function problemTitle(lang: Lang, code: ErrorCode): string {
  return t(lang, `problem.${code}.title`);
}

export function problemDetail(
  lang: Lang,
  code: ErrorCode,
  params?: Readonly<Record<string, string | number>>,
): string {
  // A `variant` param says more precisely why, where the code has such a message.
  const variant = `problem.${code}.detail.${params?.variant}`;
  return t(lang, isMessageKey(variant) ? variant : `problem.${code}.detail`, params);
}

/** Keys that come as a pair `….one` / `….other`, chosen by the count. */
type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.one`
    ? `${Base}.other` extends MessageKey
      ? Base
      : never
    : never;
}[MessageKey];

const pluralRules: Record<Lang, Intl.PluralRules> = {
  id: new Intl.PluralRules('id'),
  en: new Intl.PluralRules('en'),
};

/** "1 verified report", "3 verified reports": Indonesian has one form, English two. */
export function tCount(lang: Lang, base: PluralKey, count: number): string {
  const key: MessageKey =
    pluralRules[lang].select(count) === 'one' ? `${base}.one` : `${base}.other`;
  return t(lang, key, { count: count.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB') });
}

import type { TokenRequest } from './tokens';

/** The accounts `npm start` prints and the local sign-in page offers. */
export const demoAccounts = {
  admin: { email: 'admin@demo.kz', name: 'Әсел Admin', groups: ['admins'] },
  coordinator: { email: 'coordinator.almaty@demo.kz', name: 'Нұрлан Қасымов', groups: ['coordinators'], region: 'almaty' },
  nationalTrainer: { email: 'national.trainer@demo.kz', name: 'Гүлнұр Сейітова', groups: ['trainers'] },
  regionalTrainer: { email: 'trainer.almaty@demo.kz', name: 'Ерлан Әбенов', groups: ['trainers', 'teachers'] },
  teacher: { email: 'teacher1@demo.kz', name: 'Айгүл Жұмабекқызы', groups: ['teachers'] },
  teacher2: { email: 'teacher2@demo.kz', name: 'Дәурен Өтепов', groups: ['teachers'] },
  teacher3: { email: 'teacher3@demo.kz', name: 'Іңкәр Үсенова', groups: ['teachers'] },
} as const satisfies Record<string, TokenRequest>;

import { DataTypes } from 'sequelize';

import { utcText } from '../multiRowInsert';

describe('server/multiRowInsert', () => {
  it('writes a date as Sequelize writes it on SQLite in UTC, so that rows of both sort and compare alike', () => {
    const sequelizeDate = new DataTypes.DATE(3) as unknown as {
      stringify(value: Date, options: { timezone: string }): string;
    };
    const dates = [
      new Date(0),
      new Date('1999-12-31T23:59:59.999Z'),
      new Date('2026-02-28T04:05:06.007Z'),
      new Date(Date.UTC(2026, 10, 28, 12, 0, 0, 50)),
    ];
    for (const date of dates) {
      expect(utcText(date)).toBe(sequelizeDate.stringify(date, { timezone: '+00:00' }));
    }
  });
});

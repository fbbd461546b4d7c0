import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { LocalizedText } from '../config/issuing-state';

/** `consular_department`: the ministry's consular unit at home, which serves no country abroad (it processes e-visas centrally). */
export const MISSION_KINDS = ['embassy', 'consulate_general', 'consulate', 'permanent_mission', 'consular_department'] as const;
export type MissionKind = (typeof MISSION_KINDS)[number];

export interface MissionContacts {
  address?: string;
  phone?: string;
  emergencyPhone?: string;
  email?: string;
  website?: string;
}

/** An embassy or consulate of the issuing state, and the countries it serves. */
@Entity('missions')
export class Mission {
  @PrimaryColumn()
  code: string;

  @Column({ type: 'text' })
  kind: MissionKind;

  @Column({ type: 'jsonb' })
  name: LocalizedText;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column()
  city: string;

  @Column({ type: 'text', array: true })
  jurisdiction: string[];

  /** ISO 3166-2 subdivisions it serves within its countries; a country none of whose subdivisions it lists, it serves whole. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  regions: string[];

  @Column({ type: 'text', array: true })
  languages: string[];

  @Column()
  timezone: string;

  @Column({ type: 'jsonb' })
  contacts: MissionContacts;

  @Column({ default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../common/crypto/field-cipher';
import { AudienceArea, AudiencePerson, countAudience, findAudience, SqlRunner } from './registration-audience';

/**
 * The register as the alerts module sees it: who is in an area now. Pass a transaction's manager as `runner` to
 * read in that transaction; set-based callers can use `audienceCondition` from registration-audience directly.
 */
@Injectable()
export class RegistryAudienceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  /** The mission's active registrations in any part of the area, each with the family members with them. */
  find(missionCode: string, area: AudienceArea, runner: SqlRunner = this.dataSource): Promise<AudiencePerson[]> {
    return findAudience(runner, this.cipher, missionCode, area);
  }

  /** How many people the area holds now: registrants and their family members. */
  count(missionCode: string, area: AudienceArea, runner: SqlRunner = this.dataSource): Promise<number> {
    return countAudience(runner, missionCode, area);
  }
}

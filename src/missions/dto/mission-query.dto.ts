import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class MissionQuery {
  @ApiPropertyOptional({ description: 'Only missions serving this country (ISO 3166-1 alpha-2)', example: 'DE' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;
}

/** An address to find the serving mission for: its country and, where missions share a country, its subdivision. */
export class ServingMissionQuery {
  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'DE' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country: string;

  @ApiPropertyOptional({ description: 'ISO 3166-2 subdivision of that country', example: 'DE-HE' })
  @IsOptional()
  @Matches(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, { message: 'region must be an ISO 3166-2 subdivision code such as DE-HE' })
  region?: string;
}
